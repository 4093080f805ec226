-- Agreement progress, by hand: the same figures as the GraphQL query of
-- docs/dashboards.md (c), in four statements. {today} is the district's date.

-- The agreement.
SELECT a.title, a.status FROM agreements a WHERE a.id = {agreement_id};

-- Its milestones with the days they slipped.
SELECT m.title, m.status, m.planned_on,
       COALESCE((SELECT SUM(r.new_date - r.old_date) FROM milestone_reschedules r
                 WHERE r.milestone_id = m.id), 0) AS slip_days
FROM milestones m WHERE m.agreement_id = {agreement_id}
ORDER BY m.planned_on, m.id LIMIT 50;

-- Its action items by status, with overdue and verified on time (totals are their sums).
SELECT i.status, COUNT(*) AS count,
       SUM(CASE WHEN i.status IN ('OPEN', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED') AND i.due_on < '{today}' THEN 1 ELSE 0 END) AS overdue,
       SUM(CASE WHEN i.status = 'VERIFIED' AND CAST(i.verified_at AT TIME ZONE d.time_zone AS DATE) <= i.due_on THEN 1 ELSE 0 END) AS verified_on_time
FROM action_items i JOIN districts d ON d.id = i.district_id
WHERE i.agreement_id = {agreement_id}
GROUP BY i.status;

-- The same per OPD, by OPD name.
SELECT o.name, i.status, COUNT(*) AS count,
       SUM(CASE WHEN i.status IN ('OPEN', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED') AND i.due_on < '{today}' THEN 1 ELSE 0 END) AS overdue
FROM action_items i JOIN opds o ON o.id = i.opd_id
WHERE i.agreement_id = {agreement_id}
GROUP BY o.name, o.id, i.status
ORDER BY o.name, o.id, i.status;
