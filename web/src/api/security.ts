// Account security (src/domain/accounts/security.hpp): my sessions, password change, and the
// password reset by SMS code.
import { request } from './client';
import type { Items } from './types';

export interface MySession {
  id: string;
  user_agent: string;
  client_addr: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  current: boolean;
}

export const securityApi = {
  sessions: () => request<Items<MySession>>('GET', '/me/sessions'),
  signOut: (id: string) => request<void>('DELETE', `/me/sessions/${encodeURIComponent(id)}`),
  signOutOthers: () => request<{ signed_out: number }>('POST', '/me/sessions/sign-out-others', { body: {} }),
  /** An SMS code for the password change, sent to my own phone (answered masked). */
  sendPasswordChangeCode: () =>
    request<{ sent: boolean; phone: string; expires_at: number }>('POST', '/me/password/code', { body: {} }),
  changePassword: (body: { old_password: string; new_password: string; sms_code: string }) =>
    request<void>('POST', '/me/password', { body }),
  sendResetCode: (phone: string) =>
    request<{ sent: boolean }>('POST', '/auth/password-reset/code', { body: { phone }, noAuthRedirect: true }),
  resetPassword: (body: { phone: string; sms_code: string; new_password: string }) =>
    request<void>('POST', '/auth/password-reset', { body, noAuthRedirect: true }),
};
