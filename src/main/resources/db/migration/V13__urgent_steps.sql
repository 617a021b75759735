-- Steps a person (or an alert) is waiting for jump the queue: the first step after an approval and
-- every compensation of a rollback. Routine steps of other jobs, however many are due, come after.
-- Reset by the claim, so an urgent step's later polls and retries are routine again.
ALTER TABLE step_execution ADD COLUMN urgent boolean NOT NULL DEFAULT false;
