import { createApp } from 'vue';
import 'vant/lib/index.css';
import './styles/theme.css';
import App from './App.vue';
import { i18n, onLocaleChange } from './i18n';
import { router, updateTitle } from './router';
import { setUnauthorizedHandler } from './api';
import { forget, loadMeta, session } from './session';
// elder mode applies the signed-in account's setting to <html>; field errors are tied
// to their fields and announced.
import './session/elder';
import { tieFieldErrors } from './a11y/fieldErrors';
import { Locale as VantLocale } from 'vant';
import vantZhCN from 'vant/es/locale/lang/zh-CN';
import vantEnUS from 'vant/es/locale/lang/en-US';

onLocaleChange((locale) => {
  if (locale === 'en') VantLocale.use('en-US', vantEnUS);
  else VantLocale.use('zh-CN', vantZhCN);
  updateTitle();
});

// Any 401 ends the session: forget the token and go to the login page.
// On a public page (the home) only a user who was signed in is told; a stale token is just dropped.
setUnauthorizedHandler(() => {
  const wasSignedIn = !!session.me;
  forget();
  const current = router.currentRoute.value;
  if (!current.meta.public || wasSignedIn) {
    void router.replace({ name: 'login', query: { redirect: current.fullPath, expired: '1' } });
  }
});

void loadMeta();

createApp(App).use(i18n).use(router).mount('#app');
tieFieldErrors();
