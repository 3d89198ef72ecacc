/**
 * @candor/instruments — the two Candor instruments (versioned definitions and scoring), which way
 * is good for each dimension and the bands of a mean, and the catalogue of plays. Pure: no I/O.
 */
export * from './definitions';
export * from './favourability';
export * from './plays';
