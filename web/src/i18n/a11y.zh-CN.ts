// Issue 19: accessibility labels, elder mode (长辈模式) and voice input.
export default {
  rowLabel: '{field}（第 {n} 行）',
  rowActions: '操作',
  start: '开始',
  end: '结束',
  skipToMain: '跳到主要内容',
  elder: {
    name: '长辈模式',
    on: '开启长辈模式',
    off: '退出长辈模式',
    hint: '字更大、按钮更大、常用服务放在最前面',
    enabled: '已开启长辈模式',
    disabled: '已退出长辈模式',
    services: '常用服务',
    consult: '找医生看病',
    refill: '复诊开药',
    healthCode: '我的健康码',
    book: '挂号',
    family: '我的家人',
    more: '更多服务',
  },
  voice: {
    start: '语音输入',
    stop: '停止语音输入',
    listening: '正在听，请说话……',
    unsupported: '这个浏览器不支持语音输入，请用键盘或手机自带的语音键盘输入文字。',
    failed: '没有听清，请再说一次，或者用键盘输入。',
  },
  chat: {
    newMessage: '{name}：{text}',
    log: '聊天记录',
  },
};
