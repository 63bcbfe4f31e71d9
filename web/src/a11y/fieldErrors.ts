// A form field's error ("请输入手机号") is tied to its field and announced. Vant's
// van-field and Element Plus's el-form-item draw the message next to the input but do not link
// them; this watches the document and, for every such message, gives it an id and role="alert"
// and sets aria-describedby and aria-invalid on the field's input (removed again when it goes).
// Vant's toasts (nameless role="dialog" popups) become role="status", other popups are named by
// their heading and their close icon and overlay get a name.

const FIELDS: [container: string, message: string, control: string][] = [
  ['.van-field', '.van-field__error-message', '.van-field__control'],
  ['.el-form-item', '.el-form-item__error', 'input, textarea, [role="combobox"]'],
];

import { i18n } from '@/i18n';

let next = 0;

function sync(root: ParentNode) {
  // Vant draws a toast as a nameless role="dialog" popup; it is a status message.
  for (const toast of root.querySelectorAll<HTMLElement>('.van-toast[role="dialog"]')) {
    toast.setAttribute('role', 'status');
    toast.setAttribute('aria-live', 'polite');
  }
  // Other Vant popups: the dialog is named by its first heading; the close icon and the overlay
  // (both role="button") are named "关闭".
  for (const popup of root.querySelectorAll<HTMLElement>('.van-popup[role="dialog"]:not([aria-label]):not([aria-labelledby])')) {
    const head = popup.querySelector<HTMLElement>('h1, h2, h3, h4, .van-dialog__header, .van-action-sheet__header, [class*="title"]');
    if (!head) continue;
    if (!head.id) head.id = `popup-title-${++next}`;
    popup.setAttribute('aria-labelledby', head.id);
  }
  for (const btn of root.querySelectorAll<HTMLElement>('.van-popup__close-icon:not([aria-label]), .van-overlay[role="button"]:not([aria-label])')) {
    btn.setAttribute('aria-label', i18n.global.t('a11y.close'));
  }
  // Element Plus's autocomplete: its role="combobox" wrapper has no name of its own (it gets the
  // input's), and its input points aria-activedescendant (and, before the list is drawn,
  // aria-controls) at elements that do not exist.
  for (const box of root.querySelectorAll<HTMLElement>('.el-autocomplete[role="combobox"]')) {
    const input = box.querySelector<HTMLInputElement>('input');
    if (!input) continue;
    if (!box.hasAttribute('aria-label')) {
      const name = input.getAttribute('aria-label') || input.labels?.[0]?.textContent?.trim() || input.placeholder;
      if (name) box.setAttribute('aria-label', name);
    }
    for (const attr of ['aria-activedescendant', 'aria-controls']) {
      const id = input.getAttribute(attr);
      if (id && !document.getElementById(id)) input.removeAttribute(attr);
    }
  }
  // Its suggestion popper is role="listbox" as well, around the real listbox (the <ul> of
  // options), so it seems to own a region and no option; it is only the frame. While the
  // suggestions load, the list holds a spinner instead of options: it is busy.
  for (const popper of root.querySelectorAll<HTMLElement>('.el-autocomplete__popper[role="listbox"]')) {
    popper.removeAttribute('role');
  }
  for (const list of root.querySelectorAll<HTMLElement>('.el-autocomplete-suggestion ul[role="listbox"]')) {
    const loading = !!list.closest('.el-autocomplete-suggestion')?.classList.contains('is-loading');
    if (loading) list.setAttribute('aria-busy', 'true');
    else list.removeAttribute('aria-busy');
  }
  for (const [container, message, control] of FIELDS) {
    for (const box of root.querySelectorAll<HTMLElement>(container)) {
      const input = box.querySelector<HTMLElement>(control);
      if (!input) continue;
      const msg = box.querySelector<HTMLElement>(message);
      const own = input.dataset.errId;
      if (msg && msg.textContent?.trim()) {
        if (!msg.id) msg.id = `field-err-${++next}`;
        msg.setAttribute('role', 'alert');
        if (own !== msg.id) {
          const rest = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && x !== own);
          input.setAttribute('aria-describedby', [...rest, msg.id].join(' '));
          input.dataset.errId = msg.id;
        }
        input.setAttribute('aria-invalid', 'true');
      } else if (own) {
        const rest = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && x !== own);
        if (rest.length) input.setAttribute('aria-describedby', rest.join(' '));
        else input.removeAttribute('aria-describedby');
        input.removeAttribute('aria-invalid');
        delete input.dataset.errId;
      }
    }
  }
}

let queued = false;
/** Starts watching the document (once, from main.ts). */
export function tieFieldErrors(): void {
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      sync(document);
    });
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
}
