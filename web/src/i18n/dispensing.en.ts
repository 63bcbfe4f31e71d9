// Drug orders (prescription orders, delivery, pickup, pickup code): patient pages, the pharmacy's order desk, the courier page.
import type zh from './dispensing.zh-CN';

const en: typeof zh = {
  title: 'Drug orders',
  mine: 'My drug orders',
  mineDesc: 'Order from a prescription, delivery progress, pickup code',
  empty: 'No drug orders yet',
  demo: 'Demo',
  status: {
    placed: 'Waiting for the pharmacy', accepted: 'Accepted', dispensed: 'Dispensed', assigned: 'Courier assigned', picked_up: 'On the way',
    delivered: 'Delivered', failed: 'Delivery failed', handed_over: 'Collected', returned: 'Returned to the pharmacy', cancelled: 'Cancelled',
    rejected: 'Rejected by the pharmacy', expired: 'Expired',
  },
  role: { patient: 'Patient', pharmacy: 'Pharmacy', courier: 'Courier', system: 'System' },
  mode: { delivery: 'Home delivery', pickup: 'Pickup at the pharmacy' },
  order: {
    title: 'Order medicine', rx: 'Prescription {no}', lines: 'Drugs', prescribed: 'Prescribed', ordered: 'Ordered', remaining: 'Left',
    qty: 'Quantity (boxes)', mode: 'How to get it', address: 'Delivery address', lat: 'Latitude', lon: 'Longitude', phone: 'Contact phone',
    findPharmacies: 'Find pharmacies nearby', myLocation: 'My location', pharmacies: 'Pharmacies nearby', noPharmacy: 'No pharmacy nearby can supply this',
    distance: '{km} km', open: 'Open', closed: 'Closed', includeClosed: 'Also show pharmacies closed now', temporarilyClosed: 'Temporarily closed', opensAt: 'opens {at}', complete: 'Everything in stock', partial: 'Some in stock',
    deliversHere: 'Delivers here', noDelivery: 'Does not deliver to this address', basket: 'Drugs {v}', fee: 'Delivery {v}',
    choose: 'Choose this pharmacy', place: 'Place order', placing: 'Placing…', partialHint: 'This pharmacy has only some of the drugs: order those here and the rest elsewhere.',
    refusal: { rx_not_approved: 'The prescription is not approved yet; it cannot be ordered', rx_expired: 'The prescription has expired; it cannot be ordered' },
    nothingLeft: 'Everything on this prescription has been ordered',
  },
  detail: {
    title: 'Drug order', total: 'Total', items: 'Drugs', fee: 'Delivery fee', pay: 'Pay', paid: 'Paid', unpaid: 'To pay',
    cancel: 'Cancel order', cancelReason: 'Reason (optional)', cancelled: 'Cancelled; anything paid is refunded',
    timeline: 'Progress', batches: 'Batches dispensed', batch: 'Batch {no} · expires {exp} · {q} boxes',
    pickupCode: 'Pickup code', pickupHint: 'Show this code at the pharmacy counter; it works once.', pickupUsed: 'The pickup code was used',
    live: 'Refreshes every few seconds', reason: 'Reason: {r}', bill: 'View bill', courier: 'Courier: {n}',
  },
  pharmacy: {
    title: 'Pharmacy order desk', pharmacy: 'Pharmacy', none: 'You are not staff of any pharmacy', all: 'All', empty: 'No orders',
    accept: 'Accept', reject: 'Reject', rejectReason: 'Reason for rejecting', dispense: 'Dispense', redeliver: 'Deliver again', takeBack: 'Take back into stock',
    unpaid: 'Unpaid', paid: 'Paid', patient: 'Patient', scanTitle: 'Pickup scan', scanHint: "Scan the patient's pickup code with the camera, or paste its text",
    scanText: 'Pickup code text', scanSubmit: 'Verify and hand over', scanOk: 'Verified: order {id} collected', camera: 'Open camera', stopCamera: 'Close camera',
    done: 'Done',
    courierNote: 'Couriers can only view orders here; accepting, dispensing and pickup scans are done by counter staff.', courierLink: 'Go to the courier page', actions: 'Actions',
  },
  batch: {
    title: 'Scan the boxes of order {id}', hint: 'Scan each box (or type its batch number or trace code and press Enter); the earliest-expiring batch first.',
    code: 'Batch number or trace code', add: 'Check', progress: '{n} of {q} boxes scanned', expires: 'expires {d}',
    remove: 'Remove scan {c}', removeShort: 'Remove', dispense: 'Dispense these boxes', cancel: 'Close',
  },
  map: {
    title: 'Pharmacies on the map', you: 'You', rings: 'rings at 1, 3 and 5 km', aria: 'Map of {n} pharmacies around your point; the list below says the same',
    item: '{name}: {km} km {dir}',
    dir: { here: 'here', N: 'north', NE: 'north-east', E: 'east', SE: 'south-east', S: 'south', SW: 'south-west', W: 'west', NW: 'north-west' },
  },
  courier: {
    title: 'Courier', demo: "Demo: the pharmacy's own couriers (a real deployment plugs in a delivery company's API)", empty: 'No orders to deliver',
    take: 'Take', pickedUp: 'Picked up', delivered: 'Delivered', failed: 'Delivery failed', failReason: 'Reason', address: 'Address',
  },
};

export default en;
