// E-prescriptions: doctor, pharmacist, patient.
import type zh from './rx.zh-CN';

const en: typeof zh = {
  status: { pending_review: 'Awaiting review', approved: 'Approved', rejected: 'Rejected', dispensed: 'Dispensed', expired: 'Expired', cancelled: 'Cancelled' },
  category: { ordinary: 'Ordinary', pediatric: 'Paediatric', emergency: 'Emergency' },
  freq: { qd: 'Once a day', bid: 'Twice a day', tid: '3 times a day', qid: '4 times a day', q8h: 'Every 8 h', q12h: 'Every 12 h', qn: 'Every night', qw: 'Once a week' },
  route: { oral: 'Oral', subcutaneous: 'Subcutaneous', intramuscular: 'Intramuscular', intravenous: 'Intravenous', topical: 'Topical', inhalation: 'Inhaled', sublingual: 'Sublingual', rectal: 'Rectal', eye: 'Eye drops', ear: 'Ear drops', nasal: 'Nasal' },
  allergyClass: {
    penicillins: 'Penicillins', cephalosporins: 'Cephalosporins', carbapenems: 'Carbapenems', sulfonamides: 'Sulfonamides', macrolides: 'Macrolides',
    quinolones: 'Quinolones', tetracyclines: 'Tetracyclines', aminoglycosides: 'Aminoglycosides', nsaids: 'NSAIDs', statins: 'Statins', iodinated_contrast: 'Iodinated contrast',
  },
  rxNo: 'Prescription no.', diagnosis: 'Diagnosis', doctor: 'Doctor', pharmacist: 'Reviewing pharmacist', amount: 'Amount', issuedOn: 'Issued on',
  validDays: 'Valid', validFor: 'Valid for {n} days', yuan: '¥{v}', days: '{n} days', qty: '{n} {u} in all', version: 'Version {n}',
  rejectReason: 'Reason for rejection', warnings: 'Warnings', demoLine: 'Demo',
  doc: {
    tab: 'Prescription', title: 'Write an e-prescription', intro: "Drugs come from the hospital formulary; every change is checked against the prescription rules.",
    newRx: 'Prescribe', newVersion: 'Write a new version', newVersionHint: 'Prefilled from the rejected prescription: edit it and sign again.',
    none: 'No prescription in this consultation yet.', notAllowed: 'Cannot prescribe yet', search: 'Find a drug', searchPh: 'Name or pinyin initials, e.g. 布洛芬 / blf',
    noDrug: 'No drug in the formulary matches', lines: 'Drugs', empty: 'Search above and add drugs (at most 5 per prescription)',
    drug: 'Drug', dose: 'Single dose', route: 'Route', frequency: 'Frequency', daysLabel: 'Days', remove: 'Remove', removeLine: 'Remove {drug}',
    checking: 'Checking…', allClear: 'No rule problems found', warningsOnly: 'Ready to sign ({n} warning(s) to note)', blocking: 'Cannot sign: resolve the red problems first',
    override: 'Prescribe with a reason', overrideReason: 'Reason', overridePh: 'e.g. patient informed; INR monitored', overridden: 'Reason recorded',
    weight: 'Weight (kg)', guardian: 'Guardian present', longTerm: 'Long-term (over 7 days)', assessment: 'Long-term assessment', patientConfirmed: 'Patient confirmed the long-term course',
    valid: 'Valid days', sign: 'Sign and send for review', signed: 'Signed; waiting for the pharmacist',
    pinTitle: 'Enter your signing PIN', pinLabel: 'Signing PIN (6-12 digits)', pinPh: 'Signing PIN', pinHint: 'The PIN seals your signing key; the platform never stores it.',
    setPinTitle: 'Set your signing PIN', setPinIntro: 'Set a signing PIN before your first prescription.', pinOld: 'Current PIN (empty the first time)', pinNew: 'New signing PIN', pinAgain: 'Repeat it', pinMismatch: 'The two PINs differ',
    pinFormat: 'The PIN is 6 to 12 digits', pinSet: 'Signing PIN set', setPin: 'Set signing PIN', cancelRx: 'Cancel', cancelConfirm: 'Cancel this prescription?', cancelled: 'Prescription cancelled',
    statusChanged: 'Prescription now: {s}', view: 'View', lineHits: 'Line {n}', whole: 'Whole prescription',
  },
  ph: {
    queueTitle: 'Prescriptions to review', queueIntro: 'Oldest first.', queueEmpty: 'Nothing waits for review',
    waited: 'Waiting', patient: 'Patient', submitted: 'Submitted', open: 'Review', refresh: 'Refresh',
    reviewTitle: 'Prescription review', back: 'Back to the queue', context: 'Condition and record', chiefComplaint: 'Chief complaint', presentIllness: 'Present illness',
    birth: 'Born', weight: 'Weight', noWeight: 'Not given', allergies: 'Allergies', noAllergies: 'No recorded allergies',
    active: 'Active prescriptions', noActive: 'No other active prescriptions', hits: 'Automatic checks', noHits: 'No problems found',
    form: 'Review (Prescription Review Standard 2018)', legality: 'Legality', legalityHint: "Prescriber's rights, prescription category, restricted drugs (not online)",
    normativity: 'Normativity', normativityHint: 'Header, body and footer complete; diagnosis and usage written properly; at most 5 drugs',
    suitability: 'Suitability', suitabilityHint: 'Indication, dose and duration, route, allergies, interactions, duplicate therapy',
    pass: 'Pass', fail: 'Fail', reason: 'Note / reason for rejection', reasonPh: 'Required to reject; the doctor sees it',
    approve: 'Approve and sign', reject: 'Reject', reasonRequired: 'Give a reason to reject', allPassRequired: 'All three must pass to approve',
    approved: 'Approved', rejected: 'Rejected; the doctor sees the reason', statsTitle: 'My reviews', reviewed: 'Reviewed', approvedN: 'Approved',
    rejectedN: 'Rejected', intervention: 'Intervention rate', median: 'Median review time', seconds: '{n} s', minutes: '{n} min',
  },
  pt: {
    buy: 'Buy the medicine (delivery or pickup)',
    title: 'My prescriptions', titleDesc: 'Status and pick-up code', allergiesDesc: 'Drug allergies', empty: 'No prescriptions yet', detail: 'Prescription', qrLabel: 'Prescription QR code', qrHint: 'Show this code at the pharmacy; the pharmacist scans it to check both signatures.',
    noQr: 'The pick-up code appears once approved', print: 'Print', printTitle: 'Prescription', allergies: 'My allergies', allergiesIntro: 'Prescriptions are checked against your allergies.',
    addAllergy: 'Add an allergy', kind: 'Type', byClass: 'Drug class', byDrug: 'A drug', classLabel: 'Drug class', drugLabel: 'Drug', drugPh: 'Type a drug name',
    reaction: 'Reaction', reactionPh: 'e.g. rash, trouble breathing', save: 'Save', remove: 'Delete', removeConfirm: 'Delete this allergy?', noAllergies: 'No allergies recorded',
    added: 'Added', removed: 'Deleted', choose: 'Choose', items: 'Drugs', forWhom: 'Patient',
  },
  print: {
    front: 'Header', body: 'Body', back: 'Footer', name: 'Name', sex: 'Sex', age: 'Age', weight: 'Weight', dept: 'Department', clinical: 'Clinical diagnosis',
    date: 'Date', usage: 'Usage: ', total: 'Amount', doctorSig: 'Doctor', pharmacistSig: 'Reviewing pharmacist', dispense: 'Dispensed / checked / handed out',
    electronic: '(e-signature)', validNote: 'Valid for {n} days', sexM: 'Male', sexF: 'Female', printBtn: 'Print',
  },
};
export default en;
