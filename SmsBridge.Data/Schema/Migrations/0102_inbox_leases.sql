-- Several receivers share one inbox. A message is validated by the receiver that holds its lease: the one that
-- accepted it (leased at insert), or, once that lease has run out (the receiver died or fell behind), whichever
-- receiver's sweep claims it. Rows from before this migration have no lease and are free to claim.
ALTER TABLE sms_inbox ADD COLUMN leased_by uuid, ADD COLUMN lease_until timestamptz;
