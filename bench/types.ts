/** One measured figure. `ratio` is value ÷ peerValue, so its meaning (lower or higher is better) follows the unit. */
export type BenchResult = {
  name: string;
  value: number;
  unit: string;
  peer?: string;
  peerValue?: number;
  ratio?: number;
  note?: string;
};
