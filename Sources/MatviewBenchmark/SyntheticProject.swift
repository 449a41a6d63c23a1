import Foundation

/// A synthetic project for the benchmark: `tables` parent/child table pairs with keys and foreign
/// keys, and `views` specs over them, each with a join, grouping, aggregates, a CTE every few
/// views, indexes and a refresh policy, so every stage of the front end does real work.
struct SyntheticProject {
    var schema: (path: String, text: String)
    var specs: [(path: String, text: String)]

    init(views: Int) {
        let pairs = max(10, views / 10)
        var sql = ""
        for t in 0..<pairs {
            sql += """
            CREATE TABLE account_\(t) (
                id bigserial PRIMARY KEY,
                name text NOT NULL,
                region text,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE entry_\(t) (
                id bigserial PRIMARY KEY,
                account_id bigint NOT NULL REFERENCES account_\(t)(id),
                amount numeric(12,2) NOT NULL,
                quantity integer,
                status text NOT NULL DEFAULT 'open',
                booked_at timestamptz NOT NULL
            );
            CREATE INDEX ON entry_\(t)(account_id);

            """
        }
        schema = ("specs/schema.sql", sql)
        specs = (0..<views).map { v in
            let t = v % pairs
            var text = """
            view: synthetic_view_\(v)
            description: Synthetic view \(v) over account_\(t) and entry_\(t).

            """
            if v % 3 == 0 {
                text += """
                with:
                  totals:
                    from: entry_\(t) e
                    where: e.status <> 'void'
                    group_by: [e.account_id]
                    select:
                      account_id: e.account_id
                      total: sum(e.amount)
                      entries: count(*)
                from: account_\(t) a
                join:
                  - left: totals x
                    on: x.account_id = a.id
                select:
                  account_id: a.id
                  name: a.name
                  total: coalesce(x.total, 0)
                  entries: coalesce(x.entries, 0)

                """
            } else {
                text += """
                from: account_\(t) a
                join:
                  - left: entry_\(t) e
                    on: e.account_id = a.id and e.booked_at >= a.created_at
                where: a.region is not null or a.name like 'x%'
                group_by: [a.id, a.name]
                select:
                  account_id: a.id
                  name: a.name
                  entries: count(e.id)
                  total: sum(e.amount * coalesce(e.quantity, 1))
                  average: avg(extract(epoch from e.booked_at - a.created_at))
                  last_booked:
                    expr: max(greatest(e.booked_at, a.created_at))
                    description: Latest booking or creation time.
                  open_entries: "count(*) filter (where e.status = 'open')"

                """
            }
            text += """
            indexes:
              - columns: [account_id]
                unique: true
              - columns: [name desc]
            refresh:
              schedule: "*/\(v % 59 + 1) * * * *"
              concurrently: true
              on_change: queue
              max_staleness: 10m

            """
            return ("specs/synthetic_view_\(v).yaml", text)
        }
    }
}

extension SyntheticProject {
    /// Writes the project's specs and schema under `root`, as a user's project would be.
    func write(to root: URL) throws {
        for file in [schema] + specs {
            let url = root.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.text.utf8).write(to: url)
        }
    }

    /// Edits the first view's description on disk, the smallest change `generate --check` reports.
    func changeOneDescription(in root: URL) throws {
        let url = root.appendingPathComponent(specs[0].path)
        let text = specs[0].text.replacingOccurrences(of: "description: Synthetic view 0 ", with: "description: Synthetic view 0, changed, ")
        precondition(text != specs[0].text, "the first synthetic spec has no description to change")
        try Data(text.utf8).write(to: url)
    }
}
