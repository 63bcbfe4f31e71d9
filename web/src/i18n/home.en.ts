// The public home screen, the bottom tab bar, Messages and Me (issue #13).
import type home from './home.zh-CN';

const en: typeof home = {
  welcome: 'Welcome to ihos online hospital',
  welcomeSub: 'Browse departments and doctors without an account; log in when you book or consult',
  login: 'Log in / Register',
  searchLabel: 'Search doctors, departments, diseases',
  searchPh: 'Doctors, departments, diseases or symptoms',
  search: 'Search',
  services: 'Services',
  popularDepartments: 'Popular departments',
  popularDoctors: 'Recommended doctors',
  all: 'All',
  doctorCount: '{n} doctors',
  noDoctorsYet: 'No doctors yet',
  nextFree: 'Next free {time}',
  noFreeSlot: 'No free slot yet',
  loadFailed: 'Could not load, please try again later',
  tabs: { label: 'Main navigation', home: 'Home', consult: 'Consult', messages: 'Messages', me: 'Me' },
  needLogin: 'Log in to continue',
  results: {
    title: 'Search',
    departments: 'Departments',
    doctors: 'Doctors',
    diseases: 'Diseases and symptoms',
    diseasesHint: 'For “{q}” these departments may suit you (AI triage suggestion, for reference only):',
    emergency: 'What you describe may need emergency care: call {number} now.',
    selfCheck: 'Describe it in the AI self-check',
    none: 'Nothing found',
    typeMore: 'Type a doctor, department or disease to search',
  },
  messages: {
    title: 'Messages',
    empty: 'No messages yet',
    markRead: 'Mark read',
    unread: 'Unread',
    read: 'Read',
    open: 'View appointment',
  },
  me: {
    title: 'Me',
  },
  loading: 'Loading…',
};
export default en;
