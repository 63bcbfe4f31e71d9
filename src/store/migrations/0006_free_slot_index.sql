-- Doctor search asks, for every listed practitioner, for the first open slot with a free place
-- after now. This partial index holds exactly those slots, so the answer is one index seek.
CREATE INDEX slots_free_by_practitioner ON slots(practitioner_id, start_at) WHERE status = 'open' AND booked < capacity;
