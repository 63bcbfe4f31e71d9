import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import { ensureMe, isLoggedIn } from '@/session';
import { i18n } from '@/i18n';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without logging in. */
    public?: boolean;
    /** Only for visitors who are not logged in (login, register). */
    guestOnly?: boolean;
    /** i18n key of the page title. */
    title?: string;
    /**
     * The page uses the camera. ihosd allows the camera only in the documents of these routes
     * (Permissions-Policy camera=(self); every other page camera=()), so entering or leaving one
     * loads a new document (src/http/static_files.cpp IsCameraRoute: keep the two lists alike).
     */
    camera?: boolean;
  }
}

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    {
      path: '/login',
      name: 'login',
      component: () => import('@/views/auth/LoginView.vue'),
      meta: { public: true, guestOnly: true, title: 'auth.login' },
    },
    {
      path: '/register',
      name: 'register',
      component: () => import('@/views/auth/RegisterView.vue'),
      meta: { public: true, guestOnly: true, title: 'auth.registerTitle' },
    },
    // The demo SMS page: only useful with the demo SMS provider.
    {
      path: '/demo/sms',
      name: 'demo-sms',
      component: () => import('@/views/auth/DemoSmsView.vue'),
      meta: { public: true, title: 'security.demoSms.title' },
    },
    // Account security: forgotten password, and my devices and password from 我的
    {
      path: '/forgot-password',
      name: 'forgot-password',
      component: () => import('@/views/auth/ForgotPasswordView.vue'),
      meta: { public: true, guestOnly: true, title: 'security.forgot.title' },
    },
    {
      path: '/me/security',
      name: 'security',
      component: () => import('@/views/patient/SecurityView.vue'),
      meta: { title: 'security.title' },
    },
    {
      // Public: the phone app's home (search, services, popular departments and doctors) for guests
      // and patients; the staff workbench for a signed-in staff role.
      path: '/',
      name: 'home',
      component: () => import('@/views/HomeView.vue'),
      meta: { public: true },
    },
    {
      path: '/search',
      name: 'search',
      component: () => import('@/views/patient/SearchView.vue'),
      meta: { public: true, title: 'home.results.title' },
    },
    {
      path: '/messages',
      name: 'messages',
      component: () => import('@/views/patient/MessagesView.vue'),
      meta: { title: 'home.messages.title' },
    },
    {
      path: '/me',
      name: 'me',
      component: () => import('@/views/patient/MeView.vue'),
      meta: { title: 'home.me.title' },
    },
    {
      path: '/dependents',
      name: 'dependents',
      component: () => import('@/views/patient/DependentsView.vue'),
      meta: { title: 'dependents.title' },
    },
    {
      path: '/access-log',
      name: 'access-log',
      component: () => import('@/views/patient/AccessLogView.vue'),
      meta: { title: 'accessLog.title' },
    },
    // triage (AI self-check): open to everyone, signed in or not
    {
      path: '/self-check',
      name: 'self-check',
      component: () => import('@/views/triage/SelfCheckView.vue'),
      meta: { public: true, title: 'selfCheck.title' },
    },
    // --- doctors, departments and registration (挂号) ---
    {
      path: '/departments',
      name: 'departments',
      component: () => import('@/views/patient/registration/DepartmentsView.vue'),
      meta: { public: true, title: 'reg.departments.title' },
    },
    {
      // ?department=<code> (the triage page links here), &hospital=<id>, &q=<name>
      path: '/doctors',
      name: 'doctors',
      component: () => import('@/views/patient/registration/DoctorListView.vue'),
      meta: { public: true, title: 'reg.doctors.title' },
    },
    {
      path: '/doctors/:id',
      name: 'doctor-profile',
      component: () => import('@/views/patient/registration/DoctorProfileView.vue'),
      meta: { public: true, title: 'reg.profile.title' },
    },
    {
      path: '/doctors/:id/book',
      name: 'book-confirm',
      component: () => import('@/views/patient/registration/BookConfirmView.vue'),
      meta: { title: 'reg.confirm.title' },
    },
    {
      path: '/appointments',
      name: 'my-appointments',
      component: () => import('@/views/patient/registration/MyAppointmentsView.vue'),
      meta: { title: 'reg.appointments.title' },
    },
    {
      path: '/practise',
      name: 'practise',
      component: () => import('@/views/staff/registration/PractiseView.vue'),
      meta: { title: 'reg.practise.title' },
    },
    {
      // Staff pages inside the staff layout: /staff/schedule, /staff/day, /staff/doctorReview, ...
      path: '/staff/:feature',
      name: 'staff-feature',
      component: () => import('@/views/staff/StaffHome.vue'),
      meta: { title: 'staff.workbench' },
    },
    // --- end of registration ---
    {
      path: '/:pathMatch(.*)*',
      name: 'not-found',
      component: () => import('@/views/NotFoundView.vue'),
      meta: { public: true, title: 'notFound.title' },
    },
    // Health code (健康码)
    {
      path: '/healthcode',
      name: 'healthcode',
      component: () => import('@/views/patient/HealthCodeView.vue'),
      meta: { title: 'healthcode.title' },
    },
    {
      path: '/gate',
      name: 'gate',
      component: () => import('@/views/staff/GateScanView.vue'),
      meta: { title: 'healthcode.gate.title', camera: true },
    },
    {
      path: '/healthcode/desk',
      name: 'healthcode-desk',
      component: () => import('@/views/staff/HealthAuthorityView.vue'),
      meta: { title: 'healthcode.authority.title' },
    },
    // Tests and home services
    {
      path: '/tests',
      name: 'tests',
      component: () => import('@/views/patient/tests/TestBookView.vue'),
      meta: { title: 'tests.title' },
    },
    {
      path: '/tests/mine',
      name: 'tests-mine',
      component: () => import('@/views/patient/tests/MyTestsView.vue'),
      meta: { title: 'tests.mine' },
    },
    {
      path: '/homecare',
      name: 'homecare',
      component: () => import('@/views/patient/homecare/HomeCareView.vue'),
      meta: { title: 'care.title' },
    },
    // Health code: authority map, lab CSV import, venue poster (authority/speed)
    {
      path: '/healthcode/risk-map',
      name: 'healthcode-risk-map',
      component: () => import('@/views/staff/RiskMapView.vue'),
      meta: { title: 'hcAuthority.map.title' },
    },
    {
      path: '/healthcode/lab-import',
      name: 'healthcode-lab-import',
      component: () => import('@/views/staff/LabImportView.vue'),
      meta: { title: 'hcAuthority.import.title' },
    },
    {
      path: '/healthcode/venues/:id/poster',
      name: 'healthcode-venue-poster',
      component: () => import('@/views/staff/VenuePosterView.vue'),
      meta: { title: 'hcAuthority.venues.poster' },
    },
    // Online consultation (线上问诊); the doctor's workstation is /staff/queue
    {
      // ?doctor=<practitioner id> or ?appointment=<id>
      path: '/consult/new',
      name: 'consult-start',
      component: () => import('@/views/consultation/StartConsultationView.vue'),
      meta: { title: 'consult.start.title' },
    },
    {
      path: '/consult/:id(\\d+)',
      name: 'consultation',
      component: () => import('@/views/consultation/ConsultationView.vue'),
      meta: { title: 'consult.title' },
    },
    {
      path: '/consultations',
      name: 'my-consultations',
      component: () => import('@/views/consultation/MyConsultationsView.vue'),
      meta: { title: 'consult.mine.title' },
    },
    // E-prescriptions: the patient's prescriptions, the printable sheet, allergies
    {
      path: '/prescriptions',
      name: 'my-prescriptions',
      component: () => import('@/views/prescriptions/MyPrescriptionsView.vue'),
      meta: { title: 'rx.pt.title' },
    },
    {
      path: '/prescriptions/:id(\\d+)',
      name: 'prescription',
      component: () => import('@/views/prescriptions/PrescriptionView.vue'),
      meta: { title: 'rx.pt.detail' },
    },
    {
      path: '/prescriptions/:id(\\d+)/print',
      name: 'prescription-print',
      component: () => import('@/views/prescriptions/PrescriptionPrintView.vue'),
      meta: { title: 'rx.pt.printTitle' },
    },
    {
      // ?patient=<id> for a ward
      path: '/allergies',
      name: 'allergies',
      component: () => import('@/views/prescriptions/AllergiesView.vue'),
      meta: { title: 'rx.pt.allergies' },
    },
    // Payment and medical insurance: my insurance, bills, the e-receipt, the demo provider
    {
      path: '/insurance',
      name: 'insurance',
      component: () => import('@/views/billing/InsuranceView.vue'),
      meta: { title: 'billing.insurance.title' },
    },
    {
      path: '/bills',
      name: 'bills',
      component: () => import('@/views/billing/MyBillsView.vue'),
      meta: { title: 'billing.mine.title' },
    },
    {
      path: '/bills/:id(\\d+)',
      name: 'bill',
      component: () => import('@/views/billing/BillDetailView.vue'),
      meta: { title: 'billing.bill.title' },
    },
    {
      path: '/bills/:id(\\d+)/receipt',
      name: 'bill-receipt',
      component: () => import('@/views/billing/ReceiptView.vue'),
      meta: { title: 'billing.receipt.title' },
    },
    {
      path: '/pay/demo/:out_trade_no',
      name: 'demo-pay',
      component: () => import('@/views/billing/DemoPayView.vue'),
      meta: { title: 'billing.demoPay.title' },
    },
    // Pharmacies: the pharmacy console, the staff application, the admin review
    {
      path: '/pharmacy/console',
      name: 'pharmacy-console',
      component: () => import('@/views/pharmacy/PharmacyConsoleView.vue'),
      meta: { title: 'pharmacy.console.title' },
    },
    {
      path: '/pharmacy/apply',
      name: 'pharmacy-apply',
      component: () => import('@/views/pharmacy/PharmacyApplyView.vue'),
      meta: { title: 'pharmacy.apply.title' },
    },
    {
      path: '/admin/pharmacy-applications',
      name: 'pharmacy-review',
      component: () => import('@/views/pharmacy/PharmacyReviewView.vue'),
      meta: { title: 'pharmacy.review.title' },
    },
    // Drug orders (src/domain/dispensing): order from a prescription, my orders, one order (pay,
    // timeline, pickup code); the pharmacy's order desk and the courier page
    {
      path: '/rx/:id(\\d+)/order',
      name: 'rx-order',
      component: () => import('@/views/dispensing/RxOrderView.vue'),
      meta: { title: 'dispensing.order.title' },
    },
    {
      path: '/otc',
      name: 'otc-shop',
      component: () => import('@/views/dispensing/OtcShopView.vue'),
      meta: { title: 'otc.shop.title' },
    },
    {
      path: '/drug-orders',
      name: 'drug-orders',
      component: () => import('@/views/dispensing/MyDrugOrdersView.vue'),
      meta: { title: 'dispensing.mine' },
    },
    {
      path: '/drug-orders/:id(\\d+)',
      name: 'drug-order',
      component: () => import('@/views/dispensing/DrugOrderView.vue'),
      meta: { title: 'dispensing.detail.title' },
    },
    {
      path: '/pharmacy/orders',
      name: 'pharmacy-orders',
      component: () => import('@/views/dispensing/PharmacyOrdersView.vue'),
      meta: { title: 'dispensing.pharmacy.title', camera: true },
    },
    {
      path: '/courier',
      name: 'courier',
      component: () => import('@/views/dispensing/CourierView.vue'),
      meta: { title: 'dispensing.courier.title' },
    },
    // Chronic-medicine need registry (慢病用药需求登记): patient, community worker, pharmacy, shortage map
    { path: '/needs', name: 'needs', component: () => import('@/views/needs/MyNeedsView.vue'), meta: { title: 'needs.mine.title' } },
    {
      // ?worker=1: a community worker registers for a patient
      path: '/needs/new',
      name: 'need-new',
      component: () => import('@/views/needs/RegisterNeedView.vue'),
      meta: { title: 'needs.form.title' },
    },
    { path: '/needs/:id(\\d+)', name: 'need', component: () => import('@/views/needs/NeedDetailView.vue'), meta: { title: 'needs.detail.title' } },
    { path: '/needs/worker', name: 'need-worker', component: () => import('@/views/needs/WorkerView.vue'), meta: { title: 'needs.worker.title' } },
    {
      path: '/needs/pharmacy',
      name: 'needs-pharmacy',
      component: () => import('@/views/needs/PharmacyNeedsView.vue'),
      meta: { title: 'needs.pharmacy.title' },
    },
    {
      path: '/needs/shortage',
      name: 'needs-shortage',
      component: () => import('@/views/needs/ShortageMapView.vue'),
      meta: { title: 'needs.shortage.title' },
    },
    {
      path: '/needs/workers-admin',
      name: 'needs-workers',
      component: () => import('@/views/needs/WorkersAdminView.vue'),
      meta: { title: 'needs.workers.title' },
    },
  ],
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to, from) => {
  // Into or out of a camera page: a full load, so the page runs under its own document's
  // Permissions-Policy (the first navigation of a document has nothing matched in `from`).
  if (from.matched.length > 0 && !!to.meta.camera !== !!from.meta.camera) {
    window.location.assign(to.fullPath);
    return false;
  }
  if (to.meta.public) {
    if (to.meta.guestOnly && isLoggedIn() && (await ensureMe())) return { name: 'home' };
    // Signed in, opened straight at a public page (a link, a reload): who it is loads once the page
    // is shown, not before it, so the account's settings (elder mode) and name apply there too. Not
    // earlier: a stale session's 401 must find this public page current, not the router's empty
    // start (which is not public and would be sent to the login page).
    if (isLoggedIn()) void router.isReady().then(() => ensureMe());
    return true;
  }
  if (!isLoggedIn() || !(await ensureMe())) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  }
  return true;
});

export function updateTitle(route: RouteLocationNormalized = router.currentRoute.value): void {
  const t = i18n.global.t;
  const app = t('app.name');
  document.title = route.meta.title ? `${t(route.meta.title)} - ${app}` : app;
}

router.afterEach((to) => updateTitle(to));
