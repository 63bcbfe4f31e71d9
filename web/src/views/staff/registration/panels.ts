// staff pages shown inside the staff layout at /staff/<feature>: which role each belongs to.
import { defineAsyncComponent, type Component } from 'vue';
import type { Role } from '@/api';

export interface StaffPanel {
  role: Exclude<Role, 'patient'>;
  component: Component;
}

export const REGISTRATION_PANELS: Record<string, StaffPanel> = {
  schedule: { role: 'doctor', component: defineAsyncComponent(() => import('./SchedulePanel.vue')) },
  day: { role: 'doctor', component: defineAsyncComponent(() => import('./DayPanel.vue')) },
  credentials: { role: 'doctor', component: defineAsyncComponent(() => import('./ApplyPanel.vue')) },
  doctorReview: { role: 'admin', component: defineAsyncComponent(() => import('./ReviewPanel.vue')) },
  hospitals: { role: 'admin', component: defineAsyncComponent(() => import('./HospitalsPanel.vue')) },
  practitioners: { role: 'admin', component: defineAsyncComponent(() => import('./PractitionersPanel.vue')) },
  // Online consultation: the doctor's workstation
  queue: { role: 'doctor', component: defineAsyncComponent(() => import('@/views/consultation/WorkstationPanel.vue')) },
};
