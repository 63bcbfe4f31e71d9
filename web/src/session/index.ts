// Who is logged in and which role view they are using. One small reactive store; no framework.
import { computed, reactive } from 'vue';
import { clearSession, hasSession, setSession, type Me, type Meta, type Role } from '@/api';
import { accountsApi } from '@/api/accounts';

const ROLE_KEY = 'ihos.active_role';

/** Roles that use the desktop staff layout, in the order a multi-role user lands on them. */
export const STAFF_ROLES: Role[] = ['admin', 'doctor', 'pharmacist', 'pharmacy_staff', 'nurse', 'lab', 'health_authority'];

interface State {
  me: Me | null;
  activeRole: Role | null;
  meta: Meta | null;
}

export const session = reactive<State>({ me: null, activeRole: null, meta: null });

export const isStaffView = computed(() => !!session.activeRole && session.activeRole !== 'patient');
export const isDemo = computed(() => session.meta?.demo === true);

function chooseRole(me: Me): Role | null {
  const saved = localStorage.getItem(ROLE_KEY) as Role | null;
  if (saved && me.roles.includes(saved)) return saved;
  const staff = STAFF_ROLES.find((r) => me.roles.includes(r));
  if (staff) return staff;
  return me.roles.includes('patient') ? 'patient' : (me.roles[0] ?? null);
}

export function setMe(me: Me): void {
  session.me = me;
  session.activeRole = chooseRole(me);
}

export function switchRole(role: Role): void {
  if (!session.me?.roles.includes(role)) return;
  session.activeRole = role;
  localStorage.setItem(ROLE_KEY, role);
}

export function isLoggedIn(): boolean {
  return hasSession();
}

let loading: Promise<Me | null> | null = null;

/** Loads /me once per session; null when not logged in (or the token was refused). */
export function ensureMe(): Promise<Me | null> {
  if (session.me) return Promise.resolve(session.me);
  if (!hasSession()) return Promise.resolve(null);
  loading ??= accountsApi
    .me()
    .then((me) => {
      setMe(me);
      return me;
    })
    .catch(() => null)
    .finally(() => {
      loading = null;
    });
  return loading;
}

export async function login(phone: string, password: string, smsCode?: string): Promise<Me> {
  const res = await accountsApi.login(smsCode ? { phone, password, sms_code: smsCode } : { phone, password });
  setSession(res.csrf_token, res.expires_at);
  localStorage.removeItem(ROLE_KEY);
  setMe(res.user);
  return res.user;
}

/** Forgets the session locally (after logout or a 401). */
export function forget(): void {
  clearSession();
  session.me = null;
  session.activeRole = null;
  localStorage.removeItem(ROLE_KEY);
}

export async function logout(): Promise<void> {
  try {
    if (hasSession()) await accountsApi.logout();
  } catch {
    // The session ends locally whatever the server says.
  }
  forget();
}

export async function loadMeta(): Promise<void> {
  try {
    session.meta = await accountsApi.meta();
  } catch {
    session.meta = null; // /meta is optional
  }
}
