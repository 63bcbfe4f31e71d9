// Success and error messages of the service panels in the UI language (server text both ways).
import { ElMessage } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { ApiError, pick, type Locale } from '@/api';

export function useStaffMsg() {
  const { locale } = useI18n();
  function fail(e: unknown) {
    if (e instanceof ApiError) {
      const lang = locale.value as Locale;
      const fields = Object.values(e.fields).map((m) => pick(m, lang)).join('; ');
      ElMessage.error(`${pick(e.text, lang) || e.code}${fields ? ' — ' + fields : ''}`);
    } else ElMessage.error(String(e));
  }
  return { fail, ok: (text: string) => ElMessage.success(text) };
}
