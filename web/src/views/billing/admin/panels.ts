// admin pages inside the staff layout at /staff/<feature>: prices and insurance classes,
// insurance policies (versioned), the daily reconciliation statement, the ledger check.
import { defineAsyncComponent } from 'vue';
import type { StaffPanel } from '@/views/staff/registration/panels';

export const BILLING_PANELS: Record<string, StaffPanel> = {
  billingItems: { role: 'admin', component: defineAsyncComponent(() => import('./ItemsPanel.vue')) },
  billingPolicies: { role: 'admin', component: defineAsyncComponent(() => import('./PoliciesPanel.vue')) },
  billingReconciliation: { role: 'admin', component: defineAsyncComponent(() => import('./ReconciliationPanel.vue')) },
  billingLedger: { role: 'admin', component: defineAsyncComponent(() => import('./LedgerPanel.vue')) },
};
