// E-prescriptions (电子处方): doctor, pharmacist, patient.
export default {
  status: { pending_review: '待审核', approved: '审核通过', rejected: '已驳回', dispensed: '已调配', expired: '已过期', cancelled: '已作废' },
  category: { ordinary: '普通处方', pediatric: '儿科处方', emergency: '急诊处方' },
  freq: { qd: '每日1次', bid: '每日2次', tid: '每日3次', qid: '每日4次', q8h: '每8小时1次', q12h: '每12小时1次', qn: '每晚1次', qw: '每周1次' },
  route: { oral: '口服', subcutaneous: '皮下注射', intramuscular: '肌内注射', intravenous: '静脉注射', topical: '外用', inhalation: '吸入', sublingual: '舌下含服', rectal: '直肠给药', eye: '滴眼', ear: '滴耳', nasal: '滴鼻' },
  allergyClass: {
    penicillins: '青霉素类', cephalosporins: '头孢菌素类', carbapenems: '碳青霉烯类', sulfonamides: '磺胺类', macrolides: '大环内酯类',
    quinolones: '喹诺酮类', tetracyclines: '四环素类', aminoglycosides: '氨基糖苷类', nsaids: '非甾体抗炎药', statins: '他汀类', iodinated_contrast: '碘造影剂',
  },
  rxNo: '处方编号', diagnosis: '诊断', doctor: '医师', pharmacist: '审核药师', amount: '金额', issuedOn: '开具日期',
  validDays: '有效期', validFor: '{n} 天内有效', yuan: '¥{v}', days: '{n} 天', qty: '共 {n}{u}', version: '第 {n} 版',
  rejectReason: '驳回原因', warnings: '提示', demoLine: '演示',
  // doctor
  doc: {
    tab: '处方', title: '开具电子处方', intro: '药品从本院处方集选择；每改动一次都会按处方规则自动检查。',
    newRx: '开处方', newVersion: '写新版本', newVersionHint: '已按被驳回的处方预填，修改后重新签名提交。',
    none: '本次问诊还没有处方。', notAllowed: '暂不能开处方', search: '搜索药品', searchPh: '药名或拼音首字母，如 布洛芬 / blf',
    noDrug: '处方集中没有匹配的药品', lines: '处方药品', empty: '请从上方搜索并添加药品（每张处方最多 5 种）',
    drug: '药品', dose: '单次剂量', route: '用法', frequency: '频次', daysLabel: '天数', remove: '移除', removeLine: '移除 {drug}',
    checking: '正在检查…', allClear: '未发现规则问题', warningsOnly: '可以签名（{n} 条提示请留意）', blocking: '不能签名：请先处理红色问题',
    override: '记录理由后开具', overrideReason: '开具理由', overridePh: '如：已告知患者，监测INR', overridden: '已记录理由',
    weight: '体重（kg）', guardian: '监护人在场', longTerm: '长期处方（超过 7 天）', assessment: '长期用药评估', patientConfirmed: '患者已确认长期用药',
    valid: '有效天数', sign: '签名并提交审核', signed: '处方已签名，等待药师审核',
    pinTitle: '输入签名密码', pinLabel: '签名密码（6-12 位数字）', pinPh: '请输入签名密码', pinHint: '签名密码用于加密保存您的签名私钥，本平台不保存明文。',
    setPinTitle: '设置签名密码', setPinIntro: '首次开具处方需先设置签名密码。', pinOld: '当前签名密码（首次设置留空）', pinNew: '新签名密码', pinAgain: '再次输入', pinMismatch: '两次输入的密码不一致',
    pinFormat: '签名密码为 6-12 位数字', pinSet: '签名密码已设置', setPin: '设置签名密码', cancelRx: '作废', cancelConfirm: '确认作废这张处方？', cancelled: '处方已作废',
    statusChanged: '处方状态更新：{s}', view: '查看', lineHits: '第 {n} 行', whole: '整张处方',
  },
  // pharmacist
  ph: {
    queueTitle: '待审核处方', queueIntro: '按提交时间排列，最早的在前。', queueEmpty: '没有待审核的处方',
    waited: '已等待', patient: '患者', submitted: '提交时间', open: '审核', refresh: '刷新',
    reviewTitle: '处方审核', back: '返回列表', context: '病情与病历', chiefComplaint: '主诉', presentIllness: '现病史',
    birth: '出生日期', weight: '体重', noWeight: '未填写', allergies: '过敏史', noAllergies: '无记录的过敏',
    active: '在用处方', noActive: '无其他在用处方', hits: '自动审核结果', noHits: '系统未发现问题',
    form: '审核意见（医疗机构处方审核规范 2018）', legality: '合法性', legalityHint: '开方医师资质、处方类别与药品管理规定（麻精毒放、互联网禁开）',
    normativity: '规范性', normativityHint: '前记、正文、后记完整，诊断与用法书写规范，每张不超过 5 种药品',
    suitability: '适宜性', suitabilityHint: '适应证、剂量与疗程、用法、过敏、相互作用与重复用药',
    pass: '通过', fail: '不通过', reason: '审核说明 / 驳回原因', reasonPh: '驳回时必填，医生会看到',
    approve: '审核通过并签名', reject: '驳回', reasonRequired: '驳回请填写原因', allPassRequired: '三项均通过才能审核通过',
    approved: '已审核通过', rejected: '已驳回，医生会看到原因', statsTitle: '我的审核', reviewed: '审核张数', approvedN: '通过',
    rejectedN: '驳回', intervention: '干预率', median: '审核用时中位数', seconds: '{n} 秒', minutes: '{n} 分钟',
  },
  // patient
  pt: {
    buy: '购药（配送或到店自提）',
    title: '我的处方', titleDesc: '状态与取药码', allergiesDesc: '药物过敏记录', empty: '还没有处方', detail: '处方详情', qrLabel: '处方二维码', qrHint: '到药房出示此二维码取药，药师扫码核验医师与药师签名。',
    noQr: '审核通过后显示取药二维码', print: '打印处方', printTitle: '处方笺', allergies: '我的过敏史', allergiesIntro: '开处方时会自动核对过敏史。',
    addAllergy: '添加过敏', kind: '类型', byClass: '药物类别', byDrug: '具体药品', classLabel: '药物类别', drugLabel: '药品', drugPh: '输入药名搜索',
    reaction: '过敏反应', reactionPh: '如：皮疹、呼吸困难', save: '保存', remove: '删除', removeConfirm: '删除这条过敏记录？', noAllergies: '尚未记录过敏',
    added: '已添加', removed: '已删除', choose: '请选择', items: '药品', forWhom: '就诊人',
  },
  print: {
    front: '前记', body: '正文', back: '后记', name: '姓名', sex: '性别', age: '年龄', weight: '体重', dept: '科别', clinical: '临床诊断',
    date: '开具日期', usage: '用法：', total: '药品金额', doctorSig: '医师签名', pharmacistSig: '审核药师', dispense: '调配/核对/发药',
    electronic: '（电子签名）', validNote: '本处方 {n} 日内有效', sexM: '男', sexF: '女', printBtn: '打印',
  },
};
