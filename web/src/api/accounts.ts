// Accounts (src/domain/accounts): sign-up and sign-in, the signed-in user, their dependents and
// access log, and the admin's role grants. Wire types are in types.ts.
import { request } from './client';
import type {
  AccessLogEntry,
  AdminUser,
  DemoSmsMessage,
  Dependent,
  Items,
  LoginResponse,
  Me,
  Meta,
  Relationship,
  Role,
  UserSettings,
} from './types';

export const accountsApi = {
  meta: () => request<Meta>('GET', '/meta', { noAuthRedirect: true }),

  register: (body: { phone: string; password: string; real_name: string; id_number: string; sms_code?: string }) =>
    request<{ user: Me }>('POST', '/auth/register', { body, noAuthRedirect: true }),
  /** Sends a registration code to the phone (the same answer for any phone). */
  sendRegisterCode: (phone: string) =>
    request<{ sent: boolean; provider: string }>('POST', '/auth/register/code', { body: { phone }, noAuthRedirect: true }),
  /** DEMO provider only (404 with a real provider): the latest demo messages to a phone. */
  demoSms: (phone: string) =>
    request<{ demo: boolean; messages: DemoSmsMessage[] }>('GET', '/demo/sms', { query: { phone }, noAuthRedirect: true }),
  login: (body: { phone: string; password: string; sms_code?: string }) =>
    request<LoginResponse>('POST', '/auth/login', { body: { ...body, session: 'cookie' }, noAuthRedirect: true }),
  logout: () => request<void>('POST', '/auth/logout', { noAuthRedirect: true }),

  me: () => request<Me>('GET', '/me'),
  settings: () => request<UserSettings>('GET', '/me/settings'),
  putSettings: (body: { elder_mode: boolean }) => request<UserSettings>('PUT', '/me/settings', { body }),
  accessLog: (limit = 50) => request<Items<AccessLogEntry>>('GET', '/me/access-log', { query: { limit } }),
  dependents: () => request<Items<Dependent>>('GET', '/me/dependents'),
  addDependent: (body: { real_name: string; id_number: string; relationship: Relationship }) =>
    request<Dependent>('POST', '/me/dependents', { body }),

  adminUsers: (q: string) => request<Items<AdminUser>>('GET', '/admin/users', { query: { q } }),
  grantRole: (userId: AdminUser['id'], role: Role) =>
    request<{ roles: Role[] }>('POST', `/admin/users/${encodeURIComponent(String(userId))}/roles`, {
      body: { role },
    }),
  revokeRole: (userId: AdminUser['id'], role: Role) =>
    request<{ roles: Role[] }>(
      'DELETE',
      `/admin/users/${encodeURIComponent(String(userId))}/roles/${encodeURIComponent(role)}`,
    ),
};
