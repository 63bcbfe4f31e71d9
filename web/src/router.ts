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
    {
      path: '/',
      name: 'home',
      component: () => import('@/views/HomeView.vue'),
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
      meta: { title: 'healthcode.gate.title' },
    },
    {
      path: '/healthcode/desk',
      name: 'healthcode-desk',
      component: () => import('@/views/staff/HealthAuthorityView.vue'),
      meta: { title: 'healthcode.authority.title' },
    },
  ],
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  if (to.meta.public) {
    if (to.meta.guestOnly && isLoggedIn() && (await ensureMe())) return { name: 'home' };
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
