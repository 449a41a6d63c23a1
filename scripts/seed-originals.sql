-- The seed document's three materialized views exactly as it wrote them (renamed *_seed), for
-- comparison with the generated ones. user_stats and system_analytics are the defective forms
-- (DESIGN.md): a join multiplies their sums, and system_analytics joins on the date alone.
CREATE MATERIALIZED VIEW dashboard_summary_seed AS
SELECT
    u.id as user_id,
    u.name,
    COUNT(DISTINCT p.id) as total_projects,
    COUNT(DISTINCT t.id) as total_tasks,
    SUM(CASE WHEN t.status = 'completed' THEN 1 ELSE 0 END) as completed_tasks,
    AVG(EXTRACT(EPOCH FROM (t.completed_at - t.created_at))) as avg_completion_seconds,
    MAX(GREATEST(u.updated_at, p.updated_at, t.updated_at)) as last_activity
FROM users u
LEFT JOIN projects p ON p.user_id = u.id
LEFT JOIN tasks t ON t.project_id = p.id
GROUP BY u.id, u.name;

CREATE MATERIALIZED VIEW user_stats_seed AS
SELECT
    u.id as user_id,
    u.role,
    COUNT(DISTINCT DATE(t.created_at)) as active_days,
    COUNT(DISTINCT t.id) as total_transactions,
    SUM(t.amount) as total_amount,
    AVG(t.amount) as avg_transaction,
    MAX(t.amount) as max_transaction,
    COUNT(DISTINCT t.category) as unique_categories,
    JSONB_BUILD_OBJECT(
        'daily_avg', AVG(daily_stats.daily_total),
        'monthly_avg', AVG(daily_stats.daily_total) * 30
    ) as spending_patterns
FROM users u
LEFT JOIN transactions t ON t.user_id = u.id
LEFT JOIN LATERAL (
    SELECT DATE(created_at) as day, SUM(amount) as daily_total
    FROM transactions
    WHERE user_id = u.id
    GROUP BY DATE(created_at)
) daily_stats ON true
GROUP BY u.id, u.role;

CREATE MATERIALIZED VIEW system_analytics_seed AS
WITH date_series AS (
    SELECT generate_series(
        CURRENT_DATE - INTERVAL '30 days',
        CURRENT_DATE,
        '1 day'::interval
    )::date as date
)
SELECT
    d.date,
    COUNT(DISTINCT u.id) as daily_active_users,
    COUNT(DISTINCT t.id) as daily_transactions,
    SUM(t.amount) as daily_volume,
    COUNT(DISTINCT CASE WHEN u.created_at::date = d.date THEN u.id END) as new_users,
    AVG(session_stats.duration) as avg_session_duration
FROM date_series d
LEFT JOIN users u ON u.last_login::date = d.date
LEFT JOIN transactions t ON t.created_at::date = d.date
LEFT JOIN LATERAL (
    SELECT AVG(EXTRACT(EPOCH FROM (ended_at - started_at))) as duration
    FROM user_sessions
    WHERE DATE(started_at) = d.date
) session_stats ON true
GROUP BY d.date
ORDER BY d.date DESC;
