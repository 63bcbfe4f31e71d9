// (UI defects, ui13): the staff frame, the colour-rule form, the health-code QR name.
const zh = {
  frame: { back: '返回' },
  rules: {
    fact: '事实',
    op: '条件',
    is: '等于',
    value: '取值',
    colour: '赋码颜色',
    days: '持续天数',
    tests: '需阴性次数',
    testValidHours: '核酸有效期（小时，0 = 不要求）',
    add: '添加规则',
    remove: '删除第 {n} 条规则',
    up: '第 {n} 条上移',
    down: '第 {n} 条下移',
    row: '第 {n} 条',
    json: '查看 JSON',
    empty: '还没有规则：所有人都是绿码。',
    invalid: '请先改正标红的字段',
    facts: { exposure: '流调标记', nat_test: '核酸结果', symptom: '自报症状', fever_onsite: '现场测温', travel: '到访风险地区' },
    values: {
      confirmed: '确诊病例', suspected: '疑似病例', close_contact: '密切接触者', secondary_contact: '密接的密接',
      possible_contact: '同时段到访同一场所', positive: '阳性', negative: '阴性', fever: '发热', cough: '咳嗽',
      sore_throat: '咽痛', loss_of_smell: '嗅觉丧失', fatigue: '乏力', normal: '正常',
      low: '低风险', medium: '中风险', high: '高风险',
    },
    errors: {
      required: '必填', invalid_value: '不在该事实的取值范围内', out_of_range: '超出允许范围', wrong_type: '类型不对',
      unknown_field: '未知字段', too_long: '规则太多（最多 100 条）',
    },
  },
  qr: { green: '健康码二维码，绿码', yellow: '健康码二维码，黄码', red: '健康码二维码，红码' },
  travelRegion: '到访地区（省 / 市 / 区县）',
  venueCode: '场所码',
};
export default zh;
