-- Agreement progress (placeholder query): the agreement, its milestones, its
-- action-item counts. Overdue: an ACTIVE agreement past its end date.
SELECT a.title, a.status, a.period_start, a.period_end,
       (a.status = 'ACTIVE' AND a.period_end < '{today}') AS is_overdue
FROM agreements a WHERE a.id = {agreement_id};
SELECT m.title, m.status, m.planned_on, m.actual_on
FROM milestones m WHERE m.agreement_id = {agreement_id}
ORDER BY m.planned_on, m.id LIMIT 20;
SELECT SUM(CASE WHEN status IN ('OPEN', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED') THEN 1 ELSE 0 END) AS open,
       SUM(CASE WHEN status IN ('OPEN', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED') AND due_on < '{today}' THEN 1 ELSE 0 END) AS overdue,
       SUM(CASE WHEN status = 'VERIFIED' THEN 1 ELSE 0 END) AS verified
FROM action_items WHERE agreement_id = {agreement_id};
