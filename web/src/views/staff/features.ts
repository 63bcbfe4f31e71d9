import type { Component } from 'vue';
import {
  Avatar,
  Box,
  Calendar,
  Camera,
  ChatDotRound,
  DataLine,
  Document,
  DocumentChecked,
  EditPen,
  FirstAidKit,
  Grid,
  Guide,
  House,
  Location,
  Money,
  Notebook,
  OfficeBuilding,
  PieChart,
  Postcard,
  PriceTag,
  Stamp,
  Tickets,
  TrendCharts,
  UserFilled,
  Van,
  VideoCamera,
} from '@element-plus/icons-vue';
import type { Role } from '@/api';

/** A feature of a staff workbench. `live` ones are built; the others are shown as coming soon. */
export interface Feature {
  key: string;
  icon: Component;
  live?: boolean;
  /** i18n key of the label when it is not staff.features.<key>. */
  label?: string;
  /** Where a live feature opens (default /staff/<key>). */
  to?: string;
}

export const FEATURES: Record<Exclude<Role, 'patient'>, Feature[]> = {
  admin: [
    { key: 'users', icon: UserFilled, live: true, to: '/' },
    { key: 'doctorReview', icon: Stamp, live: true },
    { key: 'hospitals', icon: OfficeBuilding, live: true, label: 'reg.nav.hospitals' },
    { key: 'practitioners', icon: Avatar, live: true, label: 'reg.nav.practitioners' },
    { key: 'dashboard', icon: DataLine },
    { key: 'testSitesAdmin', icon: Location, live: true, label: 'staffSvc.nav.testSites' },
    // prices and insurance classes, insurance policies, reconciliation, ledger check
    { key: 'billingItems', icon: PriceTag, live: true, label: 'billing.admin.nav.items' },
    { key: 'billingPolicies', icon: Notebook, live: true, label: 'billing.admin.nav.policies' },
    { key: 'billingReconciliation', icon: Money, live: true, label: 'billing.admin.nav.reconciliation' },
    { key: 'billingLedger', icon: DocumentChecked, live: true, label: 'billing.admin.nav.ledger' },
    { key: 'pharmacyReview', icon: Box, live: true, label: 'pharmacy.nav.review', to: '/admin/pharmacy-applications' },
  ],
  doctor: [
    { key: 'day', icon: Tickets, live: true, label: 'reg.nav.day' },
    { key: 'schedule', icon: Calendar, live: true },
    { key: 'queue', icon: ChatDotRound, live: true, label: 'consult.ws.nav' },
    { key: 'records', icon: Document },
    { key: 'prescribe', icon: FirstAidKit, live: true, to: '/staff/queue' },
    { key: 'remote', icon: VideoCamera },
    { key: 'credentials', icon: Postcard, live: true },
  ],
  pharmacist: [
    { key: 'review', icon: DocumentChecked, live: true },
    { key: 'reviewHistory', icon: Tickets, live: true, label: 'rx.ph.statsTitle' },
    { key: 'otcMark', icon: PriceTag, live: true, label: 'otc.mark.title' },
  ],
  pharmacy_staff: [
    { key: 'stock', icon: Box, live: true, label: 'pharmacy.nav.console', to: '/pharmacy/console' },
    // Drug orders (src/domain/dispensing): the order desk with the pickup scan; the courier page (DEMO in-house courier)
    { key: 'orders', icon: Van, live: true, to: '/pharmacy/orders', label: 'dispensing.pharmacy.title' },
    { key: 'courier', icon: Guide, live: true, to: '/courier', label: 'dispensing.courier.title' },
  ],
  // home nursing and escort orders, home test visits; the lab's samples and results.
  nurse: [
    { key: 'homeVisits', icon: House, live: true, label: 'staffSvc.nav.homeVisits' },
    { key: 'natHomeVisits', icon: Guide, live: true, label: 'staffSvc.nav.natHomeVisits' },
  ],
  lab: [
    { key: 'testBookings', icon: Calendar, live: true, label: 'staffSvc.nav.testBookings' },
    // The CSV import opens the import page; single results are entered on the desk.
    { key: 'results', icon: EditPen, live: true, to: '/healthcode/lab-import', label: 'staffSvc.nav.results' },
    { key: 'resultEntry', icon: Document, live: true, to: '/healthcode/desk', label: 'staff.features.results' },
  ],
  health_authority: [
    { key: 'codeRules', icon: Grid, live: true, to: '/healthcode/desk' },
    { key: 'riskAreas', icon: Location, live: true, to: '/healthcode/risk-map' },
    { key: 'testSites', icon: House, live: true, label: 'staffSvc.nav.testSites' },
    { key: 'epidemic', icon: TrendCharts },
    { key: 'statistics', icon: PieChart },
  ],
};

// Chronic-medicine need registry: pharmacy staff's needs near me, the authority's and admin's
// shortage map and community workers (standalone pages under /needs).
FEATURES.pharmacy_staff.push({ key: 'needsNearMe', icon: Location, live: true, to: '/needs/pharmacy', label: 'needs.pharmacy.nav' });
for (const role of ['health_authority', 'admin'] as const) {
  FEATURES[role].push(
    { key: 'needsShortage', icon: TrendCharts, live: true, to: '/needs/shortage', label: 'needs.shortage.nav' },
    { key: 'needsWorkers', icon: UserFilled, live: true, to: '/needs/workers-admin', label: 'needs.shortage.workers' },
  );
}

// the health-code check at a gate (/gate) in the menus of the staff who stand at
// one (a gate nurse) or run them (the health authority); other staff open /gate directly.
FEATURES.nurse.push({ key: 'gate', icon: Camera, live: true, to: '/gate', label: 'healthcode.gate.title' });
FEATURES.health_authority.push({ key: 'gate', icon: Camera, live: true, to: '/gate', label: 'healthcode.gate.title' });
