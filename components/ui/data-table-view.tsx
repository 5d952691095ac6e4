"use client";

import { getCoreRowModel, getPaginationRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight } from "lucide-react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Button } from "./button";
import { cn } from "./cn";

export type SortValue = string | number | null;
type PreparedRow = { key: string; cells: ReactNode[]; sort: SortValue[] };
type Head = { key: string; header: ReactNode; className?: string; sortable: boolean };

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

function compare(a: SortValue, b: SortValue): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return collator.compare(String(a), String(b));
}

/** Sorting and paging of rows the server (or a parent) already rendered; see DataTable. */
export function DataTableView({ columns, rows, caption, label, pageSize }: { columns: Head[]; rows: PreparedRow[]; caption?: ReactNode; label?: string; pageSize: number }) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const [pagination, setPagination] = useState({ pageIndex: 0, pageSize });
  const definitions: ColumnDef<PreparedRow>[] = columns.map((column, i) => ({
    id: column.key,
    accessorFn: (row) => row.sort[i] ?? undefined,
    enableSorting: column.sortable,
    sortUndefined: "last",
    sortingFn: (a, b, id) => compare(a.getValue<SortValue>(id), b.getValue<SortValue>(id)),
  }));
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table returns fresh functions each render by design; nothing here is memoised on them.
  const table = useReactTable({
    data: rows,
    columns: definitions,
    state: { sorting, pagination },
    onSortingChange: (updater) => {
      setSorting(updater);
      setPagination((p) => ({ ...p, pageIndex: 0 }));
    },
    onPaginationChange: setPagination,
    getRowId: (row) => row.key,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    autoResetPageIndex: false,
  });

  // The scroll container takes keyboard focus only when it actually scrolls (so a keyboard user can scroll it).
  const scroller = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(true);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setScrolls(el.scrollWidth > el.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const paged = rows.length > pageSize;
  const first = pagination.pageIndex * pageSize + 1;
  const last = Math.min(rows.length, first + pageSize - 1);
  return (
    <div className="flex min-w-0 flex-col gap-2">
      <div
        ref={scroller}
        role={scrolls ? "region" : undefined}
        aria-label={scrolls ? `${label ?? "Table"} (scrolls sideways)` : undefined}
        tabIndex={scrolls ? 0 : undefined}
        className="relative overflow-x-auto rounded-md border border-border"
      >
        <table className="w-full border-collapse text-left text-sm [overflow-wrap:normal]" aria-label={caption ? undefined : label}>
          {caption ? <caption className="px-3 py-2 text-left text-sm text-muted-foreground">{caption}</caption> : null}
          <thead className="bg-muted/60 text-muted-foreground">
            <tr>
              {table.getFlatHeaders().map((header, i) => {
                const column = columns[i]!;
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                    className="border-b border-border px-3 py-2 font-medium whitespace-nowrap"
                  >
                    {column.sortable ? (
                      <button type="button" onClick={header.column.getToggleSortingHandler()} className="-mx-1 inline-flex items-center gap-1 rounded px-1 hover:text-foreground">
                        {column.header}
                        {sorted === "asc" ? <ArrowUp aria-hidden className="size-3.5" /> : sorted === "desc" ? <ArrowDown aria-hidden className="size-3.5" /> : <ArrowUpDown aria-hidden className="size-3.5 opacity-50" />}
                      </button>
                    ) : (
                      column.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody className="divide-y divide-border">
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} className="align-top hover:bg-muted/40">
                {row.original.cells.map((cell, i) => (
                  <td key={columns[i]!.key} className={cn("px-3 py-2", columns[i]!.className)}>
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {paged ? (
        <nav aria-label={`${label ?? "Table"} pages`} className="flex flex-wrap items-center justify-between gap-2 text-sm text-muted-foreground">
          <p aria-live="polite">
            Rows {first}–{last} of {rows.length}
          </p>
          <div className="flex gap-2">
            <Button type="button" variant="secondary" size="sm" onClick={() => table.previousPage()} disabled={!table.getCanPreviousPage()}>
              <ChevronLeft aria-hidden /> Previous
            </Button>
            <Button type="button" variant="secondary" size="sm" onClick={() => table.nextPage()} disabled={!table.getCanNextPage()}>
              Next <ChevronRight aria-hidden />
            </Button>
          </div>
        </nav>
      ) : null}
    </div>
  );
}
