/**
 * The step time by which layouts are ranked: the step rounded to single
 * precision (24 bits, about 6e-8 relative). Two layouts whose steps are the
 * same sum of the same terms added in another order (a ZeRO-3 step bound by
 * its link is that link's work whatever the recomputation) differ only in
 * their last bits, which must not choose between them: rounded, they tie,
 * and a tie goes to the layout found first (the enumeration is
 * deterministic, and tries less recomputation first). A difference the
 * model's error (several percent) could not resolve by a factor of a
 * hundred thousand is no preference.
 */
export function stepOrder(stepSeconds: number): number {
  return Math.fround(stepSeconds);
}
