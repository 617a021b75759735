-- When a phase with notBefore may start; computed once when the job reaches it, changed only by
-- an operator (audited), so a restart never moves it.
ALTER TABLE phase_execution ADD COLUMN earliest_start timestamptz;
