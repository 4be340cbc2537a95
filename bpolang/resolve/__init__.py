"""Resolution: references between blocks (:mod:`.references`) and dates on business-day calendars (:mod:`.calendar`)."""
