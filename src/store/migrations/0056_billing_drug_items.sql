-- Drug lines of drug orders (the dispensing capability's billing source): the class comes from the
-- NRDL's reimbursement class (医保甲类 / 医保乙类); a drug outside the NRDL is self-pay. The 乙类
-- self-pay-first share is 10% here, the common figure in regional policies (e.g. 北京 10%,
-- 武汉 10%); an admin edits it per item like the other items.
INSERT INTO billing_items (code, name_zh, name_en, item_class, b_selfpay_bp) VALUES
  ('drug.A',    '甲类药品', 'Drug (insurance class A)', 'A', 0),
  ('drug.B',    '乙类药品', 'Drug (insurance class B)', 'B', 1000),
  ('drug.none', '自费药品', 'Drug (not covered)', 'none', 0);
