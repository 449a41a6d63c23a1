-- Helpers of scripts/incremental-differential.sh, in a schema of their own (incdiff) in the
-- scratch database: every deployed view (matview.views) against its defining query, EXCEPT ALL
-- both ways, with up to 5 sample rows of each side.
CREATE SCHEMA IF NOT EXISTS incdiff;

CREATE OR REPLACE FUNCTION incdiff.compare()
RETURNS TABLE (view_name text, view_rows bigint, only_in_view bigint, only_in_query bigint,
               view_samples text, query_samples text, error text)
LANGUAGE plpgsql
AS $compare$
DECLARE
    v record;
    rel text;
BEGIN
    FOR v IN SELECT w.view_name, w.schema_name, w.definition FROM matview.views w ORDER BY w.refresh_order, w.view_name LOOP
        view_name := v.view_name;
        rel := format('%I.%I', v.schema_name, v.view_name);
        view_rows := NULL; only_in_view := NULL; only_in_query := NULL;
        view_samples := NULL; query_samples := NULL; error := NULL;
        BEGIN
            EXECUTE format('SELECT count(*) FROM %s', rel) INTO view_rows;
            EXECUTE format('SELECT count(*) FROM (TABLE %s EXCEPT ALL (%s)) x', rel, v.definition) INTO only_in_view;
            EXECUTE format('SELECT count(*) FROM ((%s) EXCEPT ALL TABLE %s) x', v.definition, rel) INTO only_in_query;
            IF only_in_view > 0 THEN
                EXECUTE format('SELECT string_agg(x::text, E''\n'') FROM (SELECT * FROM (TABLE %s EXCEPT ALL (%s)) y LIMIT 5) x', rel, v.definition)
                    INTO view_samples;
            END IF;
            IF only_in_query > 0 THEN
                EXECUTE format('SELECT string_agg(x::text, E''\n'') FROM (SELECT * FROM ((%s) EXCEPT ALL TABLE %s) y LIMIT 5) x', v.definition, rel)
                    INTO query_samples;
            END IF;
        EXCEPTION WHEN OTHERS THEN
            error := SQLERRM;
        END;
        RETURN NEXT;
    END LOOP;
END;
$compare$;
