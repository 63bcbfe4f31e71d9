// Elder mode (长辈模式): larger text, larger targets, fewer items, the usual services
// first. Remembered per account in this browser (key ihos.elder.<user id>), and for visitors
// (ihos.elder.guest); the <html> element carries the `elder` class the styles key on.
import { ref, watch } from 'vue';
import { session } from './index';

const PREFIX = 'ihos.elder.';
export const elderMode = ref(false);

function key(): string {
  return PREFIX + (session.me ? String(session.me.id) : 'guest');
}

function apply(on: boolean) {
  elderMode.value = on;
  document.documentElement.classList.toggle('elder', on);
}

/** Loads the setting of whoever is signed in now (called when the account changes). */
export function loadElderMode(): void {
  apply(localStorage.getItem(key()) === '1');
}

export function setElderMode(on: boolean): void {
  localStorage.setItem(key(), on ? '1' : '0');
  apply(on);
}

watch(() => session.me?.id, loadElderMode, { immediate: true });
