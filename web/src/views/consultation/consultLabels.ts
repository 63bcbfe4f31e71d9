// Who answers a consultation and what it costs, in the patient's words: a department consultation
// ("立即问诊") waiting for its doctor is the department's, not a free clinic's (义诊).
import { ref } from 'vue';
import { directoryApi, type Department, type Hospital } from '@/api/directory';
import type { Consultation } from '@/api/consultation';
import { useRegLabels } from '@/views/registrationLabels';

const departments = ref<Department[] | null>(null);
let loading: Promise<void> | null = null;

function loadDepartments(): Promise<void> {
  if (departments.value) return Promise.resolve();
  loading ??= directoryApi
    .departments()
    .then((r) => {
      departments.value = r.items ?? [];
    })
    .catch(() => {
      departments.value = [];
    })
    .finally(() => {
      loading = null;
    });
  return loading;
}

/** "¥25" or "¥10–¥25": the general price of the hospitals that offer a department (fen → yuan). */
export function priceSpan(hospitals: Hospital[], price: (fen: number) => string): string {
  const fens = hospitals.map((h) => h.general_price_fen).filter((f) => f > 0);
  if (!fens.length) return '';
  const min = Math.min(...fens);
  const max = Math.max(...fens);
  return min === max ? price(min) : `${price(min)}–${price(max)}`;
}

export function useConsultLabels() {
  const { t, deptName, price } = useRegLabels();
  void loadDepartments();

  const departmentName = (code: string) => {
    const d = departments.value?.find((x) => x.code === code);
    return d ? deptName(d) : '';
  };

  /** The doctor's name; before a doctor accepts: the free clinic, or the department's doctor. */
  function doctorLabel(c: Pick<Consultation, 'practitioner' | 'kind' | 'department_code'>): string {
    if (c.practitioner) return c.practitioner.name;
    if (c.kind === 'free_clinic') return t('consult.freeClinicDoctor');
    const dept = departmentName(c.department_code);
    return dept ? t('home.consult.deptDoctor', { dept }) : t('consult.chat.doctor');
  }

  /** 图文问诊 · ¥25; free clinic: 义诊 · 免费; a department consultation not accepted yet: priced then. */
  function kindAndPrice(c: Pick<Consultation, 'kind' | 'price_fen' | 'practitioner' | 'appointment_id'>): string {
    const kind = t(`consult.kinds.${c.kind}`);
    if (c.kind === 'free_clinic') return `${kind} · ${t('reg.free')}`;
    if (!c.practitioner) return `${kind} · ${t('home.consult.pricedOnAccept')}`;
    return `${kind} · ${price(c.price_fen)}`;
  }

  return { doctorLabel, kindAndPrice, departmentName };
}
