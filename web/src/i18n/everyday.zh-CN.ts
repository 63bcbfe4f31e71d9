// Everyday patient pages: what a department doctor list and the self-check say when nobody in a
// department can take the patient now, and where to turn instead.
const zh = {
  ask: {
    noVolunteer: '本科室暂无义诊医生，义诊提问不可用。',
    noneTitle: '本科室现在没有可接诊的医生',
    noneHint: '暂时不能在本科室立即问诊或义诊提问。您可以到相关科室问诊，或预约其他科室。',
    related: '去{dept}问诊（{n} 位医生可接诊）',
    bookOther: '预约其他科室',
  },
  selfCheck: {
    related: '相关科室「{dept}」现在有医生可以接诊：',
    relatedGo: '去{dept}问诊或预约',
    relatedNone: '相关科室现在也没有可接诊的医生。',
    soonest: '全平台最早可约：{when}（{doctor}，{dept}）',
    noSlotAnywhere: '目前没有可预约的号源，请稍后再来查看。',
  },
};
export default zh;
