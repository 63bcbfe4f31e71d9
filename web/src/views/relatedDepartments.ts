// Where to turn when a department has no doctor who can see the patient: the departments next to
// it in the catalogue's tree (a subspecialty's neighbours, then its parent, e.g. 肝病科 → 消化内科 →
// 内科), and general practice (全科) last. Used by the self-check and the department doctor list.
import { directoryApi, type Department } from '@/api/directory';

const NEAR: Record<string, string[]> = {
  // 内科 and its subspecialties
  respiratory: ['internal_medicine'],
  gastroenterology: ['hepatology', 'internal_medicine'],
  cardiology: ['internal_medicine'],
  endocrinology: ['internal_medicine'],
  neurology: ['internal_medicine', 'neurosurgery'],
  nephrology: ['urology', 'internal_medicine'],
  hematology: ['internal_medicine', 'oncology'],
  rheumatology: ['internal_medicine'],
  hepatology: ['gastroenterology', 'infectious_diseases', 'internal_medicine'],
  infectious_diseases: ['internal_medicine'],
  internal_medicine: [],
  // 外科 and its subspecialties
  breast_surgery: ['surgery'],
  anorectal_surgery: ['surgery', 'gastroenterology'],
  urology: ['surgery', 'nephrology'],
  neurosurgery: ['neurology', 'surgery'],
  orthopedics: ['spine_surgery', 'sports_medicine', 'surgery'],
  spine_surgery: ['orthopedics', 'surgery'],
  sports_medicine: ['orthopedics', 'rehabilitation'],
  rehabilitation: ['orthopedics', 'neurology'],
  // 妇产
  gynecology: ['obstetrics', 'reproductive_medicine'],
  obstetrics: ['gynecology'],
  reproductive_medicine: ['gynecology'],
  // mind
  psychology: ['psychiatry'],
  psychiatry: ['psychology', 'neurology'],
  oncology: ['internal_medicine', 'surgery'],
  ent: ['stomatology'],
  stomatology: ['ent'],
};

/** The related departments of `code`, nearest first, general practice last (never `code` itself). */
export function relatedCodes(code: string): string[] {
  const out = [...(NEAR[code] ?? []), 'general_practice'].filter((c) => c !== code);
  return [...new Set(out)];
}

let catalogue: Promise<Department[]> | null = null;

/** The department catalogue with its practising doctor counts (one request per page load). */
export function departmentsWithCounts(): Promise<Department[]> {
  catalogue ??= directoryApi
    .departments()
    .then((r) => r.items ?? [])
    .catch(() => {
      catalogue = null;
      return [];
    });
  return catalogue;
}

/** The nearest related department of `code` that has a practising doctor, or null. */
export async function nearestWithDoctors(code: string): Promise<Department | null> {
  const all = await departmentsWithCounts();
  for (const c of relatedCodes(code)) {
    const d = all.find((x) => x.code === c);
    if (d && (d.doctor_count ?? 0) > 0) return d;
  }
  return null;
}
