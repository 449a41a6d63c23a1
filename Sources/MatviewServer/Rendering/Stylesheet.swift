extension PageLayout {
    /// The dashboard's whole stylesheet, inlined into every page (it is small, and an inline
    /// stylesheet is one request fewer and no outside URL).
    ///
    /// Colours are custom properties switched by `prefers-color-scheme`, and the charts and the
    /// lineage graph draw with those properties (or `currentColor`), so dark mode needs nothing
    /// from the SVG. Health badges pair each colour with its word. Tables scroll sideways inside
    /// `.table-wrap` instead of squeezing a phone screen; charts scale with the page width.
    public static let stylesheet: String = """
        :root {
          color-scheme: light dark;
          --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0;
          --surface: #f6f8fa; --surface-2: #eaeef2; --accent: #0969da; --link: #0969da;
          --ok-fg: #1a7f37; --ok-bg: #dafbe1;
          --stale-fg: #9a6700; --stale-bg: #fff8c5;
          --bad-fg: #cf222e; --bad-bg: #ffebe9;
          --uncaptured-fg: #8250df; --uncaptured-bg: #fbefff;
          --never-fg: #59636e; --never-bg: #eaeef2;
          --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d;
            --surface: #151b23; --surface-2: #212830; --accent: #4493f8; --link: #4493f8;
            --ok-fg: #3fb950; --ok-bg: #12261e;
            --stale-fg: #d29922; --stale-bg: #2b2111;
            --bad-fg: #f85149; --bad-bg: #2d1214;
            --uncaptured-fg: #ab7df8; --uncaptured-bg: #231a36;
            --never-fg: #9198a1; --never-bg: #21262d;
          }
        }
        *, *::before, *::after { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
        body {
          margin: 0; background: var(--bg); color: var(--fg);
          font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
        }
        a { color: var(--link); }
        header.site {
          display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 1.5rem;
          padding: 0.625rem 1rem; border-bottom: 1px solid var(--border); background: var(--surface);
        }
        header.site .brand { font-weight: 700; }
        header.site nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0; padding: 0; list-style: none; }
        header.site nav a { color: var(--fg); text-decoration: none; padding: 0.25rem 0; border-bottom: 2px solid transparent; }
        header.site nav a:hover, header.site nav a:focus-visible { border-bottom-color: var(--border); }
        header.site nav a[aria-current="page"] { border-bottom-color: var(--accent); font-weight: 600; }
        main { max-width: 76rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.5rem; line-height: 1.25; margin: 0.5rem 0 1rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.125rem; margin: 1.5rem 0 0.5rem; }
        p { margin: 0.5rem 0; }
        .muted { color: var(--muted); }
        .banner { margin: 0 0 1rem; padding: 0.75rem 1rem; border: 1px solid currentColor; border-radius: 6px; }
        .banner.error { color: var(--bad-fg); background: var(--bad-bg); }
        .table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 0 0 1rem; border: 1px solid var(--border); border-radius: 6px; }
        table { width: 100%; border-collapse: collapse; font-size: 0.875rem; }
        th, td { padding: 0.375rem 0.625rem; border-bottom: 1px solid var(--border); text-align: left; vertical-align: top; white-space: nowrap; }
        th { color: var(--muted); font-weight: 600; background: var(--surface); }
        tbody tr:last-child td { border-bottom: none; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0 0 1rem; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        .badge, span.health-ok, span.health-stale, span.health-failing, span.health-uncaptured, span.health-never, span.health-unknown {
          display: inline-block; padding: 0 0.5rem; border-radius: 999px; border: 1px solid currentColor;
          font-size: 0.8125rem; font-weight: 600; line-height: 1.5; white-space: nowrap;
        }
        .health-ok { color: var(--ok-fg); background: var(--ok-bg); }
        .health-stale { color: var(--stale-fg); background: var(--stale-bg); }
        .health-failing { color: var(--bad-fg); background: var(--bad-bg); }
        .health-uncaptured { color: var(--uncaptured-fg); background: var(--uncaptured-bg); }
        .health-never, .health-unknown { color: var(--never-fg); background: var(--never-bg); }
        pre.sql {
          margin: 0 0 1rem; padding: 0.75rem 1rem; max-height: 32rem; overflow: auto;
          background: var(--surface); border: 1px solid var(--border); border-radius: 6px;
          font: 0.8125rem/1.45 var(--mono); white-space: pre-wrap; overflow-wrap: anywhere; tab-size: 4;
        }
        code { font-family: var(--mono); font-size: 0.875em; }
        pre.error {
          margin: 0; max-width: 40rem; white-space: pre-wrap; overflow-wrap: anywhere;
          font: 0.8125rem/1.4 var(--mono); color: var(--bad-fg);
        }
        small.error { color: var(--bad-fg); }
        p.empty, td.empty { color: var(--muted); font-style: italic; }
        .crumbs, .meta { color: var(--muted); font-size: 0.875rem; }
        p.summary { padding: 0.5rem 0.75rem; border: 1px solid currentColor; border-radius: 6px; font-weight: 600; }
        .filters { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; margin: 0 0 1rem; }
        input, select, button { font: inherit; }
        .columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 0 1.5rem; }
        ul.sql-list { padding-left: 1.25rem; }
        ul.sql-list code { overflow-wrap: anywhere; }
        figure { margin: 0 0 1.25rem; overflow-x: auto; }
        figcaption { color: var(--muted); font-size: 0.875rem; }
        .chart-wrap { overflow-x: auto; margin: 0 0 1rem; }
        .chart { display: block; width: 100%; height: auto; color: var(--fg); }
        .chart .grid line { stroke: var(--border); }
        .chart .axis { fill: var(--muted); }
        .chart .axis line { stroke: var(--muted); }
        .chart .series { fill: none; stroke: var(--accent); }
        .chart .point { fill: var(--accent); }
        .chart .failed { fill: none; stroke: var(--bad-fg); }
        .chart .threshold { stroke: var(--stale-fg); }
        .chart .threshold-label { fill: var(--stale-fg); }
        .chart .empty { fill: var(--muted); }
        .lineage-wrap, figure.lineage { overflow: auto; margin: 0 0 1rem; }
        svg.lineage { display: block; max-width: 100%; height: auto; color: var(--fg); }
        .lineage-wrap svg.lineage, figure.lineage svg.lineage { max-width: none; }
        .lineage .node rect { fill: var(--surface); stroke: var(--border); }
        .lineage .node.table rect { fill: var(--surface-2); }
        .lineage .node.view rect { stroke: currentColor; stroke-width: 1.5; }
        .lineage .node .label { fill: var(--fg); }
        .lineage .node .kind { fill: currentColor; }
        .lineage .node.table .kind { fill: var(--muted); }
        .lineage a:hover rect, .lineage a:focus rect { stroke-width: 3; }
        .lineage .edge { fill: none; stroke: var(--muted); }
        .lineage .arrow { fill: var(--muted); }
        .lineage .empty { fill: var(--muted); }
        @media (max-width: 40rem) {
          body { font-size: 14px; }
          main { padding: 0.75rem; }
          .chart-wrap .chart, figure .chart { min-width: 34rem; }
        }

        """
}
