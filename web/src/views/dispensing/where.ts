// Where and how a drug order goes (the prescription order and the OTC shop): delivery or pickup,
// the delivery address, the point pharmacies are searched around, and a contact phone. WhereForm.vue
// edits it; the page sends whereFields(w) with its order.
import { computed, reactive } from 'vue';

export type Mode = 'delivery' | 'pickup';

export interface Where {
  mode: Mode;
  address: string;
  /** As typed (a number field's text): the search and the order parse them. */
  lat: string;
  lon: string;
  phone: string;
}

/** The point as numbers (NaN where a coordinate is not one). */
export function pointOf(w: Where) {
  return { lat: parseFloat(w.lat), lon: parseFloat(w.lon) };
}

export function pointGiven(w: Where) {
  const p = pointOf(w);
  return Number.isFinite(p.lat) && Number.isFinite(p.lon);
}

export function useWhere(mode: Mode) {
  const where = reactive<Where>({ mode, address: '', lat: '', lon: '', phone: '' });
  const point = computed(() => pointOf(where));
  return { where, point };
}

/** The order's where-and-how fields: the address and point only for delivery, the phone when given. */
export function whereFields(w: Where) {
  return {
    mode: w.mode,
    ...(w.mode === 'delivery' ? { address: w.address, ...pointOf(w) } : {}),
    ...(w.phone ? { contact_phone: w.phone } : {}),
  };
}
