// Elder mode (长辈模式): larger text, larger targets, fewer items, the usual services first.
// Kept with the account on the server (GET/PUT /api/v1/me/settings), so it follows the user to
// another phone or browser; this browser keeps a copy (key ihos.elder.<user id>) so a reload
// shows the right size before the server answers, and keeps the visitors' choice
// (ihos.elder.guest) for the signed-out pages. The <html> element carries the `elder` class the
// styles key on.
import { ref, watch } from 'vue';
import { showToast } from 'vant';
import { accountsApi } from '@/api/accounts';
import { latest } from '@/composables';
import { i18n } from '@/i18n';
import { session } from './index';

const PREFIX = 'ihos.elder.';
export const elderMode = ref(false);

/** Every load or change takes a turn, so an answer that arrives after a newer one is ignored. */
const turn = latest();

function key(): string {
  return PREFIX + (session.me ? String(session.me.id) : 'guest');
}

function apply(on: boolean) {
  elderMode.value = on;
  document.documentElement.classList.toggle('elder', on);
  localStorage.setItem(key(), on ? '1' : '0');
}

/**
 * Loads the setting of whoever is signed in now (called when the account changes): this
 * browser's copy at once, then the account's.
 */
export async function loadElderMode(): Promise<void> {
  const mine = turn();
  const local = localStorage.getItem(key()) === '1';
  elderMode.value = local;
  document.documentElement.classList.toggle('elder', local);
  if (!session.me) return;
  try {
    const s = await accountsApi.settings();
    if (!mine()) return;
    // Never set on the account yet: a choice made in this browser before settings were kept
    // with the account is carried over rather than lost.
    if (s.updated_at === null && local) await accountsApi.putSettings({ elder_mode: true });
    else apply(s.elder_mode);
  } catch {
    // Offline or signed out meanwhile: this browser's copy stands.
  }
}

/** Turns elder mode on or off, here at once and on the account when someone is signed in. */
export async function setElderMode(on: boolean): Promise<void> {
  const mine = turn();
  apply(on);
  if (!session.me) return;
  try {
    await accountsApi.putSettings({ elder_mode: on });
  } catch {
    if (mine()) showToast(i18n.global.t('a11y.elder.notSaved'));
  }
}

watch(() => session.me?.id, () => void loadElderMode(), { immediate: true });
