"""A `month` facet: counts per YYYY-MM of an ISO 8601 column (e.g. published_at).

Configured like Datasette's own date facet (`facets: [{month: published_at}]`
in metadata, or `?_facet_month=published_at`); picking a month filters with
`column__startswith=YYYY-MM`.
"""
from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args


class MonthFacet(Facet):
    type = "month"

    async def facet_results(self):
        results, timed_out = [], []
        args = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config, source = source_and_config["config"], source_and_config["source"]
            column = config.get("column") or config["simple"]
            month = f"substr({escape_sqlite(column)}, 1, 7)"
            sql = (f"select {month} as value, count(*) as count from ({self.sql}) "
                   f"where {escape_sqlite(column)} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' "
                   f"group by value order by value desc limit {size + 1}")
            try:
                rows = (await self.ds.execute(self.database, sql, self.params, truncate=False,
                                              custom_time_limit=self.ds.setting("facet_time_limit_ms"))).rows
            except QueryInterrupted:
                timed_out.append(column)
                continue
            arg = f"{column}__startswith"
            values = []
            for row in rows[:size]:
                selected = args.get(arg) == row["value"]
                change = path_with_removed_args if selected else path_with_added_args
                values.append({
                    "value": row["value"], "label": row["value"], "count": row["count"],
                    "toggle_url": self.ds.absolute_url(self.request, change(self.request, {arg: row["value"]})),
                    "selected": selected,
                })
            results.append({
                "name": column, "type": self.type, "results": values,
                "hideable": source != "metadata", "truncated": len(rows) > size,
                "toggle_url": path_with_removed_args(self.request, {"_facet_month": column}),
            })
        return results, timed_out


@hookimpl
def register_facet_classes():
    return [MonthFacet]
