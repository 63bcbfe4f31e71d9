// (UI defects, ui13): the staff frame, the colour-rule form, the health-code QR name.
import type zh from './ui13.zh-CN';

const en: typeof zh = {
  frame: { back: 'Back' },
  rules: {
    fact: 'Fact',
    op: 'Condition',
    is: 'is',
    value: 'Value',
    colour: 'Colour',
    days: 'Days',
    tests: 'Negative tests',
    testValidHours: 'Test valid for (hours, 0 = not required)',
    add: 'Add rule',
    remove: 'Remove rule {n}',
    up: 'Move rule {n} up',
    down: 'Move rule {n} down',
    row: 'Rule {n}',
    json: 'View JSON',
    empty: 'No rules yet: everyone is green.',
    invalid: 'Correct the fields marked in red first',
    facts: { exposure: 'Exposure', nat_test: 'Nucleic-acid test', symptom: 'Reported symptom', fever_onsite: 'On-site temperature', travel: 'Visited a risk area' },
    values: {
      confirmed: 'Confirmed case', suspected: 'Suspected case', close_contact: 'Close contact', secondary_contact: 'Contact of a contact',
      possible_contact: 'Same place, same time', positive: 'Positive', negative: 'Negative', fever: 'Fever', cough: 'Cough',
      sore_throat: 'Sore throat', loss_of_smell: 'Loss of smell', fatigue: 'Fatigue', normal: 'Normal',
      low: 'Low risk', medium: 'Medium risk', high: 'High risk',
    },
    errors: {
      required: 'Required', invalid_value: 'Not a value this fact takes', out_of_range: 'Out of range', wrong_type: 'Wrong type',
      unknown_field: 'Unknown field', too_long: 'Too many rules (100 at most)',
    },
  },
  qr: { green: 'Health code QR, green', yellow: 'Health code QR, yellow', red: 'Health code QR, red' },
  travelRegion: 'Region visited (province / city / county)',
  venueCode: 'Venue code',
};
export default en;
