// Issue 19: accessibility labels, elder mode and voice input.
export default {
  rowLabel: '{field} (row {n})',
  rowActions: 'Actions',
  start: 'start',
  end: 'end',
  skipToMain: 'Skip to main content',
  elder: {
    name: 'Elder mode',
    on: 'Turn on elder mode',
    off: 'Turn off elder mode',
    hint: 'Bigger text, bigger buttons, the usual services first',
    enabled: 'Elder mode is on',
    disabled: 'Elder mode is off',
    services: 'Usual services',
    consult: 'See a doctor online',
    refill: 'Repeat prescription',
    healthCode: 'My health code',
    book: 'Book a visit',
    family: 'My family',
    more: 'More services',
  },
  voice: {
    start: 'Voice input',
    stop: 'Stop voice input',
    listening: 'Listening, please speak…',
    unsupported: 'This browser has no voice input. Please type, or use your phone keyboard’s voice key.',
    failed: 'Could not hear that. Please try again, or type.',
  },
  chat: {
    newMessage: '{name}: {text}',
    log: 'Messages',
  },
};
