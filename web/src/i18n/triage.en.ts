// AI self-check: see triage.zh-CN.ts.
import type zh from './triage.zh-CN';

const en: typeof zh = {
  ageLabel: 'Age group (optional; helps with children)',
  ageNone: 'Not given',
  ageGroup: '{from}–{to} years',
  ageOld: '90 years and over',
  ageFromAccount: 'Departments chosen for the age on your account ({n}).',
  afterEmergencyNote: 'Deal with the emergency above first. The departments below are for a follow-up after emergency care; they are not a match score.',
  noDoctorNow: 'No doctor of this department can see you now.',
  noneAvailable: 'None of these departments has a doctor who can see you now. Book a doctor of another department, or start with general practice.',
  bookOther: 'See all doctors you can book',
};
export default en;
