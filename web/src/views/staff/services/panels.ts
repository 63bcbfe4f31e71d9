// (tests and home services) staff pages inside the staff layout at /staff/<feature>.
import { defineAsyncComponent } from 'vue';
import type { StaffPanel } from '../registration/panels';

const sites = defineAsyncComponent(() => import('./NatSitesPanel.vue'));
const care = defineAsyncComponent(() => import('./HomeCarePanel.vue'));

export const SERVICE_PANELS: Record<string, StaffPanel> = {
  homeVisits: { role: 'nurse', component: care },
  natHomeVisits: { role: 'nurse', component: defineAsyncComponent(() => import('./NatHomePanel.vue')) },
  testBookings: { role: 'lab', component: defineAsyncComponent(() => import('./LabSamplesPanel.vue')) },
  testSites: { role: 'health_authority', component: sites },
  testSitesAdmin: { role: 'admin', component: sites },
};
