import { Inbox } from "lucide-react";
import { isValidElement, type ReactNode } from "react";
import { DataTableView, type SortValue } from "./data-table-view";
import { DateTime } from "./date";

export type Column<Row> = {
  /** A stable key for the column. */
  key: string;
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** Extra classes for this column's cells (alignment, nowrap). */
  className?: string;
  /** What the column sorts by. A column whose cells are plain text, numbers or a DateTime sorts by them without it. */
  sortValue?: (row: Row) => SortValue;
  /** `false` for columns that never sort (actions). */
  sortable?: boolean;
};

/**
 * The one table every list in the app uses: padded cells, a header row,
 * sorting by any column with sortable values, paging past `pageSize` rows, an
 * empty state that says so in words, and horizontal scrolling inside its own
 * container so a wide table never widens the page.
 *
 * Cells are rendered here, where the page is (usually on the server: pages
 * pass `cell` functions, which can't cross to the client), and the client
 * view only orders and pages the rendered rows.
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  empty = "Nothing here yet.",
  caption,
  label,
  pageSize = 25,
}: {
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  empty?: ReactNode;
  /** A visible caption; or `label` for an accessible name only. */
  caption?: ReactNode;
  label?: string;
  pageSize?: number;
}) {
  if (rows.length === 0) {
    return (
      <div className="flex items-center gap-3 rounded-md border border-dashed border-border px-4 py-6 text-sm text-muted-foreground">
        <Inbox aria-hidden className="size-5 shrink-0" />
        <p>{empty}</p>
      </div>
    );
  }
  const prepared = rows.map((row) => {
    const cells = columns.map((column) => column.cell(row));
    const sort = columns.map((column, i): SortValue => {
      if (column.sortValue) return column.sortValue(row);
      const cell = cells[i];
      if (typeof cell === "string" || typeof cell === "number") return cell;
      // A date column sorts by the instant, not by how it reads.
      if (isValidElement<{ value?: Date | string | number | null }>(cell) && cell.type === DateTime && cell.props.value != null) return new Date(cell.props.value).getTime();
      return null;
    });
    return { key: String(rowKey(row)), cells, sort };
  });
  const heads = columns.map((column, i) => ({
    key: column.key,
    header: column.header,
    className: column.className,
    sortable: rows.length > 1 && column.sortable !== false && prepared.some((row) => row.sort[i] !== null),
  }));
  return <DataTableView columns={heads} rows={prepared} caption={caption} label={label} pageSize={pageSize} />;
}
