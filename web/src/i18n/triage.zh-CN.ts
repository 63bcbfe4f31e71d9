// AI self-check: the age sent with the words, and honest answers when no doctor
// of a suggested department can see the patient. The older selfCheck.* strings are in zh-CN.ts.
const zh = {
  ageLabel: '年龄段（选填，儿童的问题更准）',
  ageNone: '不填',
  ageGroup: '{from}–{to} 岁',
  ageOld: '90 岁及以上',
  ageFromAccount: '按您账户的年龄（{n} 岁）判断科室。',
  afterEmergencyNote: '以上急症请先处理。以下科室仅供急救之后复诊参考，不代表匹配程度。',
  noDoctorNow: '该科室现在没有可接诊的医生。',
  noneAvailable: '这些科室现在都没有可接诊的医生。您可以预约其他科室的医生，或先找全科医生。',
  bookOther: '查看全部可预约医生',
};
export default zh;
