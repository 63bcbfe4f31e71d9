// staff pages inside the staff layout at /staff/<feature>: the pharmacist's review queue
// (and review page, ?rx=<id>) and statistics.
import { defineAsyncComponent } from 'vue';
import type { StaffPanel } from '../staff/registration/panels';

export const PRESCRIPTION_PANELS: Record<string, StaffPanel> = {
  review: { role: 'pharmacist', component: defineAsyncComponent(() => import('./PharmacistPanel.vue')) },
  reviewHistory: { role: 'pharmacist', component: defineAsyncComponent(() => import('./StatsPanel.vue')) },
  // OTC classification of formulary lines (src/domain/drugs)
  otcMark: { role: 'pharmacist', component: defineAsyncComponent(() => import('../drugs/OtcMarkPanel.vue')) },
};
