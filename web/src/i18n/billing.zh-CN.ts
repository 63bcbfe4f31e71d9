// Payment and medical insurance (医保支付): patient pages, the demo provider, admin.
export default {
  demo: '演示', demoTitle: '演示数据：不是真实的医保账户或资金',
  status: { pending: '待支付', paying: '支付中', paid: '已支付', expired: '已过期', cancelled: '已取消', refunded: '已退款' },
  refundStatus: { pending: '退款中', succeeded: '已退款' },
  refundReasons: { patient_cancelled: '患者取消', doctor_cancelled: '医生取消', practitioner_suspended: '医生停诊', system_cancelled: '系统取消', not_taken: '超时未接诊', source_cancelled: '服务方取消', late_payment: '支付到账时订单已失效', pharmacy_rejected: '药房拒单', hold_expired: '超时未支付，库存已释放', delivery_returned: '配送失败，药品退回药房' },
  payStatus: { created: '待付款', succeeded: '已付款', closed: '已关闭' },
  scheme: { employee: '城镇职工医保', resident: '城乡居民医保', self_pay: '自费（不使用医保）' },
  itemClass: { A: '甲类', B: '乙类', none: '自费', never: '不可报销' },
  rule: {
    not_covered: '不在医保支付范围，个人支付', self_pay: '未使用医保，个人支付', b_selfpay_first: '乙类先行自付部分',
    deductible: '起付线以下，个人支付', ratio: '按比例由统筹基金支付', annual_cap: '超出年度最高支付限额，个人支付', personal_account: '由个人账户支付',
  },
  fund: '医保统筹', personal: '个人账户', cash: '自付', total: '合计', refunded: '已退', amount: '金额', item: '项目',
  yuan: '¥{v}', countdown: '剩余支付时间 {t}', holdExpired: '支付时间已过，订单已失效',
  pay: '去支付', payNow: '确认支付', paying: '正在支付…', continuePay: '继续支付', viewBill: '查看账单',
  testPrice: '检测费 {amount}/人次，采样前支付', testFree: '免费检测',
  pendingBar: '待支付 {amount}', paidBar: '已支付 {amount}', refundedBar: '已退款 {amount}',
  sheet: {
    close: '关闭', title: '支付', useInsurance: '使用医保', useInsuranceHint: '按医保政策由统筹基金支付一部分', usePersonal: '使用个人账户', usePersonalHint: '个人负担部分先从个人账户扣',
    split: '结算明细（预结算）', presettling: '正在预结算…', notBound: '尚未绑定医保，全部自付。', bindNow: '去绑定医保',
    policy: '{region} · 第 {v} 版政策', cashDue: '还需支付 {amount}', nothingDue: '无需另外支付现金',
    toProvider: '将跳转到支付平台（演示）付款', paidDone: '支付成功',
  },
  mine: {
    title: '我的账单', desc: '支付、退款与电子票据', empty: '还没有账单', insurance: '我的医保', insuranceDesc: '绑定医保与个人账户余额',
  },
  bill: {
    title: '账单详情', status: '状态', created: '下单时间', paidAt: '支付时间', lines: '费用明细', split: '结算', refunds: '退款',
    noRefunds: '没有退款', refundReason: '原因', refundAt: '申请时间', refundDone: '完成时间', receipt: '电子票据', viewReceipt: '查看电子票据',
    receiptNo: '票据号 {no}', waitingNotice: '正在等待支付平台确认…', payment: '支付', provider: '支付平台', outTradeNo: '商户订单号', source: '来源',
    sources: { consultation: '线上问诊', appointment: '预约挂号', nat_booking: '核酸检测', homecare_order: '上门护理 / 陪诊', drug_order: '药品订单' }, notFound: '账单不存在', back: '我的账单',
  },
  receipt: {
    title: '电子票据', heading: '医疗收费电子票据', number: '票据号', issuedAt: '开票时间', payer: '交款人', patient: '就诊人',
    items: '收费项目', class: '医保类别', insured: '医保统筹支付', personal: '个人账户支付', cash: '个人现金支付', total: '合计',
    refunded: '已退金额', print: '打印', demoNote: '演示票据，无财政监制章，不可用于报销。',
  },
  insurance: {
    title: '我的医保', scheme: '参保类型', region: '参保地（统筹区）', province: '省', city: '市', county: '区县', pick: '请选择',
    insuredNo: '医保号', balance: '个人账户余额', adapter: '绑定方式', bind: '绑定医保', rebind: '更换参保信息', save: '保存', saved: '医保信息已保存',
    notBound: '尚未绑定医保：看病费用全部自付。', bound: '已绑定', demoAdapter: '演示医保电子凭证（不连接国家医保平台）', needRegion: '请选择参保地',
  },
  demoPay: {
    title: '收银台', brand: '演示支付', badge: 'DEMO 演示支付平台', notice: '这是演示支付平台：不会扣除任何真实资金。', merchant: '收款方', subject: '商品',
    amount: '支付金额', outTradeNo: '订单号', status: { waiting: '等待付款', paid: '付款成功', closed: '已关闭' }, confirm: '确认付款',
    resend: '重发支付通知（演示）', resent: '已重发支付通知', back: '返回商户', paidHint: '付款成功，商户会收到异步通知。', notFound: '订单不存在',
  },
  admin: {
    nav: { items: '价格与医保类别', policies: '医保政策', reconciliation: '对账单', ledger: '账本校验' },
    items: {
      title: '价格与医保类别', intro: '收费项目的医保类别：甲类全额纳入、乙类先由个人按比例自付、自费不报销、不可报销（如配送费）。',
      code: '编码', name: '名称', class: '医保类别', bShare: '乙类先行自付', save: '保存', saved: '已保存 {name}',
    },
    policies: {
      title: '医保政策', intro: '每个统筹区、参保类型一份政策；修改即新增一个版本，已结算的订单保留当时的版本。',
      region: '统筹区', scheme: '参保类型', version: '版本', deductible: '起付线（元/年）', cap: '年度最高支付限额（元）', personalPays: '个人账户支付个人负担',
      ratios: '报销比例', grade: '医院等级', class: '类别', ratio: '比例（%）', addRatio: '添加比例', remove: '删除', create: '新建版本', created: '已创建 {region} 第 {v} 版',
      history: '历史版本', created_at: '创建时间', yes: '是', no: '否', anyGrade: '任意等级', none: '还没有政策', newTitle: '新建政策版本', pickRegion: '选择统筹区',
      grades: { g3A: '三级甲等', g3B: '三级乙等', g3C: '三级丙等', g2A: '二级甲等', g2B: '二级乙等', g2C: '二级丙等', g1: '一级', ungraded: '未定级', any: '任意等级' },
    },
    recon: {
      title: '对账单', intro: '某统筹区某一天的医保结算与退款，与账本中统筹基金的流水核对。', region: '统筹区', date: '日期', run: '查询',
      settlements: '结算', refunds: '退款', order: '订单', receipt: '票据号', at: '时间', settledFund: '统筹结算合计', refundedFund: '统筹退款合计',
      netFund: '统筹净额', ledgerFund: '账本统筹流水', balanced: '账实相符', unbalanced: '存在差异', mismatches: '差异', none: '无记录',
    },
    ledger: {
      title: '账本校验', intro: '复式记账：每笔交易的分录之和必须为零；账本只追加不修改。', run: '校验', transactions: '交易笔数', unbalanced: '不平衡交易',
      account: '账户', balance: '余额', ok: '所有交易借贷平衡', bad: '{n} 笔交易不平衡',
    },
  },
};
