// 药品订单（处方购药、配送、到店自取、取药码）：患者页面、药店订单台、配送员页面。
const zh = {
  title: '药品订单',
  mine: '我的药品订单',
  mineDesc: '处方购药、配送进度、取药码',
  empty: '还没有药品订单',
  demo: '演示',
  status: {
    placed: '待接单', accepted: '已接单', dispensed: '已调配', assigned: '配送员已接单', picked_up: '配送中',
    delivered: '已送达', failed: '配送失败', handed_over: '已取药', returned: '已退回药店', cancelled: '已取消',
    rejected: '药店拒单', expired: '已超时',
  },
  role: { patient: '患者', pharmacy: '药店', courier: '配送员', system: '系统' },
  mode: { delivery: '送药到家', pickup: '到店自取' },
  order: {
    title: '处方购药', rx: '处方 {no}', lines: '药品', prescribed: '处方数量', ordered: '已下单', remaining: '可购',
    qty: '购买数量（盒）', mode: '取药方式', address: '收货地址', lat: '纬度', lon: '经度', phone: '联系电话',
    findPharmacies: '查找附近药店', myLocation: '我的位置', pharmacies: '附近药店', noPharmacy: '附近没有能供应的药店',
    distance: '{km} 公里', open: '营业中', closed: '休息中', includeClosed: '同时显示当前休息的药店', temporarilyClosed: '暂停营业', opensAt: '{at} 开门', complete: '全部有货', partial: '部分有货',
    deliversHere: '可配送', noDelivery: '不配送到此地址', basket: '药费 {v}', fee: '配送费 {v}',
    choose: '选择此药店', place: '提交订单', placing: '提交中…', partialHint: '该药店只有部分药品：只订这些，其余可在别的药店购买。',
    refusal: { rx_not_approved: '处方尚未审核通过，不能购药', rx_expired: '处方已过期，不能购药' },
    nothingLeft: '该处方的药品已全部下单',
  },
  detail: {
    title: '订单详情', total: '合计', items: '药费', fee: '配送费', pay: '去支付', paid: '已支付', unpaid: '待支付',
    cancel: '取消订单', cancelReason: '取消原因（可选）', cancelled: '已取消，已付款项将原路退回',
    timeline: '进度', batches: '调配批次', batch: '批号 {no} · 有效期至 {exp} · {q} 盒',
    pickupCode: '取药码', pickupHint: '到药店柜台出示此码取药，仅能使用一次。', pickupUsed: '取药码已使用',
    live: '每隔几秒自动刷新', reason: '原因：{r}', bill: '查看账单', courier: '配送员：{n}',
  },
  pharmacy: {
    title: '药店订单台', pharmacy: '药店', none: '您不是任何药店的员工', all: '全部', empty: '没有订单',
    accept: '接单', reject: '拒单', rejectReason: '拒单原因', dispense: '调配发药', redeliver: '重新配送', takeBack: '退回入库',
    unpaid: '未支付', paid: '已支付', patient: '患者', scanTitle: '扫码取药', scanHint: '用摄像头扫描患者的取药码，或粘贴取药码文本',
    scanText: '取药码文本', scanSubmit: '核验并取药', scanOk: '核验通过：订单 {id} 已取药', camera: '打开摄像头', stopCamera: '关闭摄像头',
    done: '已完成',
    courierNote: '配送员只能查看订单；接单、发药和扫码取药由柜台人员办理。', courierLink: '去配送页', actions: '操作',
  },
  batch: {
    title: '订单 {id} 逐盒扫码', hint: '逐盒扫描药盒条码（或输入批号/追溯码后回车），先发近效期批次。',
    code: '批号或追溯码', add: '核对', progress: '已扫 {n} / {q} 盒', expires: '有效期至 {d}',
    remove: '删除扫码 {c}', removeShort: '删除', dispense: '按扫码发药', cancel: '关闭',
  },
  map: {
    title: '药店分布图', you: '您的位置', rings: '圆圈为 1、3、5 公里', aria: '您周围 {n} 家药店的分布图；下方列表内容相同',
    item: '{name}：{dir} {km} 公里',
    dir: { here: '就在此处', N: '正北', NE: '东北', E: '正东', SE: '东南', S: '正南', SW: '西南', W: '正西', NW: '西北' },
  },
  courier: {
    title: '配送员', demo: '演示：本店自有配送员（真实部署接入配送公司接口）', empty: '没有待配送订单',
    take: '接单', pickedUp: '已取货', delivered: '已送达', failed: '配送失败', failReason: '失败原因', address: '地址',
  },
};

export default zh;
