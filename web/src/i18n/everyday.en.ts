// Everyday patient pages: what a department doctor list and the self-check say when nobody in a
// department can take the patient now, and where to turn instead.
const en = {
  ask: {
    noVolunteer: 'No volunteer doctor in this department: free-clinic questions are not available.',
    noneTitle: 'No doctor of this department can see you now',
    noneHint: 'You cannot ask this department now or use its free clinic. Ask a related department, or book another department.',
    related: 'Ask {dept} (one doctor can see you) | Ask {dept} ({n} doctors can see you)',
    bookOther: 'Book another department',
  },
  selfCheck: {
    related: 'The related department “{dept}” has doctors who can see you now:',
    relatedGo: 'Ask or book {dept}',
    relatedNone: 'No related department has a doctor who can see you now either.',
    soonest: 'Earliest free time anywhere: {when} ({doctor}, {dept})',
    noSlotAnywhere: 'There is no free time to book at the moment; please look again later.',
  },
};
export default en;
