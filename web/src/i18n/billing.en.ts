// Payment and medical insurance: patient pages, the demo provider, admin.
import type zh from './billing.zh-CN';

const en: typeof zh = {
  demo: 'Demo', demoTitle: 'Demo data: not a real insurance account or real money',
  status: { pending: 'To pay', paying: 'Paying', paid: 'Paid', expired: 'Expired', cancelled: 'Cancelled', refunded: 'Refunded' },
  refundStatus: { pending: 'Refund in progress', succeeded: 'Refunded' },
  refundReasons: { patient_cancelled: 'Cancelled by the patient', doctor_cancelled: 'Cancelled by the doctor', practitioner_suspended: 'Doctor suspended', system_cancelled: 'Cancelled by the system', not_taken: 'Not taken in time', source_cancelled: 'Cancelled by the service', late_payment: 'Paid after the order expired', pharmacy_rejected: 'Rejected by the pharmacy', hold_expired: 'Not paid in time; stock released', delivery_returned: 'Delivery failed; returned to the pharmacy' },
  payStatus: { created: 'Awaiting payment', succeeded: 'Paid', closed: 'Closed' },
  scheme: { employee: 'Urban employee insurance', resident: 'Urban and rural resident insurance', self_pay: 'Self-pay (no insurance)' },
  itemClass: { A: 'Class A', B: 'Class B', none: 'Self-pay', never: 'Never insurable' },
  rule: {
    not_covered: 'Not covered by insurance: you pay', self_pay: 'Insurance not used: you pay', b_selfpay_first: 'Class B share you pay first',
    deductible: 'Below the deductible: you pay', ratio: 'Fund pays its ratio', annual_cap: 'Above the annual cap: you pay', personal_account: 'Paid from the personal account',
  },
  fund: 'Insurance fund', personal: 'Personal account', cash: 'You pay', total: 'Total', refunded: 'Refunded', amount: 'Amount', item: 'Item',
  yuan: '¥{v}', countdown: 'Time left to pay {t}', holdExpired: 'Time to pay is over; the order has expired',
  pay: 'Pay', payNow: 'Confirm payment', paying: 'Paying…', continuePay: 'Continue to pay', viewBill: 'View bill',
  testPrice: 'Test fee {amount}, paid before sampling', testFree: 'Free test',
  pendingBar: 'To pay {amount}', paidBar: 'Paid {amount}', refundedBar: 'Refunded {amount}',
  sheet: {
    close: 'Close', title: 'Payment', useInsurance: 'Use insurance', useInsuranceHint: 'The pooled fund pays its share under the policy', usePersonal: 'Use personal account', usePersonalHint: 'Your share is taken from the personal account first',
    split: 'Settlement (pre-settlement)', presettling: 'Pre-settling…', notBound: 'No insurance bound: you pay everything.', bindNow: 'Bind insurance',
    policy: '{region} · policy version {v}', cashDue: 'You still pay {amount}', nothingDue: 'Nothing to pay in cash',
    toProvider: 'You will be taken to the payment provider (demo)', paidDone: 'Payment complete',
  },
  mine: {
    title: 'My bills', desc: 'Payments, refunds and e-receipts', empty: 'No bills yet', insurance: 'My insurance', insuranceDesc: 'Bind insurance, personal account balance',
  },
  bill: {
    title: 'Bill', status: 'Status', created: 'Ordered', paidAt: 'Paid', lines: 'Charges', split: 'Settlement', refunds: 'Refunds',
    noRefunds: 'No refunds', refundReason: 'Reason', refundAt: 'Requested', refundDone: 'Completed', receipt: 'E-receipt', viewReceipt: 'View e-receipt',
    receiptNo: 'Receipt no. {no}', waitingNotice: 'Waiting for the payment provider to confirm…', payment: 'Payment', provider: 'Provider', outTradeNo: 'Merchant order no.', source: 'For',
    sources: { consultation: 'Online consultation', appointment: 'Appointment', nat_booking: 'Nucleic-acid test', homecare_order: 'Home nursing / escort', drug_order: 'Drug order' }, notFound: 'Bill not found', back: 'My bills',
  },
  receipt: {
    title: 'E-receipt', heading: 'Medical charges e-receipt', number: 'Receipt no.', issuedAt: 'Issued', payer: 'Payer', patient: 'Patient',
    items: 'Items', class: 'Insurance class', insured: 'Paid by the insurance fund', personal: 'Paid from the personal account', cash: 'Paid in cash', total: 'Total',
    refunded: 'Refunded', print: 'Print', demoNote: 'Demo receipt: no fiscal seal, not valid for reimbursement.',
  },
  insurance: {
    title: 'My insurance', scheme: 'Scheme', region: 'Insured region', province: 'Province', city: 'City', county: 'County', pick: 'Choose',
    insuredNo: 'Insurance no.', balance: 'Personal account balance', adapter: 'Bound through', bind: 'Bind insurance', rebind: 'Change insurance', save: 'Save', saved: 'Insurance saved',
    notBound: 'No insurance bound: you pay all charges yourself.', bound: 'Bound', demoAdapter: 'Demo insurance e-credential (not connected to the national platform)', needRegion: 'Choose the insured region',
  },
  demoPay: {
    title: 'Checkout', brand: 'Demo Pay', badge: 'DEMO payment provider', notice: 'This is a demo payment provider: no real money moves.', merchant: 'Merchant', subject: 'Item',
    amount: 'Amount', outTradeNo: 'Order no.', status: { waiting: 'Awaiting payment', paid: 'Paid', closed: 'Closed' }, confirm: 'Confirm payment',
    resend: 'Resend notification (demo)', resent: 'Notification sent again', back: 'Back to the merchant', paidHint: 'Paid. The merchant is notified asynchronously.', notFound: 'No such order',
  },
  admin: {
    nav: { items: 'Prices and insurance classes', policies: 'Insurance policies', reconciliation: 'Reconciliation', ledger: 'Ledger check' },
    items: {
      title: 'Prices and insurance classes', intro: 'Insurance class of each charge: class A fully eligible, class B with a self-pay share first, self-pay, never insurable (e.g. delivery).',
      code: 'Code', name: 'Name', class: 'Class', bShare: 'Class B self-pay share', save: 'Save', saved: 'Saved {name}',
    },
    policies: {
      title: 'Insurance policies', intro: 'One policy per insured region and scheme; every edit adds a version, settled orders keep the version they used.',
      region: 'Insured region', scheme: 'Scheme', version: 'Version', deductible: 'Deductible (¥ a year)', cap: 'Annual cap (¥)', personalPays: 'Personal account pays',
      ratios: 'Reimbursement ratios', grade: 'Hospital grade', class: 'Class', ratio: 'Ratio (%)', addRatio: 'Add a ratio', remove: 'Remove', create: 'Create version', created: 'Created {region} version {v}',
      history: 'History', created_at: 'Created', yes: 'Yes', no: 'No', anyGrade: 'Any grade', none: 'No policies yet', newTitle: 'New policy version', pickRegion: 'Choose a region',
      grades: { g3A: 'Grade 3A', g3B: 'Grade 3B', g3C: 'Grade 3C', g2A: 'Grade 2A', g2B: 'Grade 2B', g2C: 'Grade 2C', g1: 'Grade 1', ungraded: 'Ungraded', any: 'Any grade' },
    },
    recon: {
      title: 'Reconciliation', intro: "One insured region's settlements and refunds of a day, checked against the fund's ledger entries.", region: 'Insured region', date: 'Date', run: 'Show',
      settlements: 'Settlements', refunds: 'Refunds', order: 'Order', receipt: 'Receipt no.', at: 'Time', settledFund: 'Fund settled', refundedFund: 'Fund refunded',
      netFund: 'Fund net', ledgerFund: 'Fund in the ledger', balanced: 'Balanced', unbalanced: 'Mismatch', mismatches: 'Mismatches', none: 'Nothing',
    },
    ledger: {
      title: 'Ledger check', intro: "Double entry: every transaction's entries sum to zero; the ledger is append-only.", run: 'Check', transactions: 'Transactions', unbalanced: 'Unbalanced',
      account: 'Account', balance: 'Balance', ok: 'Every transaction balances', bad: '{n} transaction(s) do not balance',
    },
  },
};
export default en;
