// The plot rings (bounded by count and age) and uPlot's aligned table built from them.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  alignedWindow,
  createSeriesSet,
  lastValues,
  mergePoints,
  parseRgb,
  seriesDash,
  seriesLabel,
  seriesPalette,
} from '../../renderer/lib/plot-series'

const points = (key: string, pairs: [number, number][]) => ({
  key,
  t: pairs.map((p) => p[0]),
  v: pairs.map((p) => p[1]),
})
const range = (n: number, f: (i: number) => [number, number]) => Array.from({ length: n }, (_, i) => f(i))

describe('plot series rings', () => {
  it('keeps the newest points up to the capacity, across several merges', () => {
    const set = createSeriesSet(5, 1e12)
    mergePoints(
      set,
      points(
        'a',
        range(4, (i) => [i * 10, i]),
      ),
    )
    mergePoints(
      set,
      points(
        'a',
        range(4, (i) => [40 + i * 10, 4 + i]),
      ),
    )
    const [a] = lastValues(set)
    assert.equal(a!.held, 5)
    assert.deepEqual(a!.last, { t: 70, v: 7 })
    assert.equal(set.received, 8)
    const out = alignedWindow(set, 0, 1000)
    assert.deepEqual(out.data, [
      [0.03, 0.04, 0.05, 0.06, 0.07],
      [3, 4, 5, 6, 7],
    ])
  })

  it('grows past its first slots without losing order', () => {
    const set = createSeriesSet(1000, 1e12)
    for (let chunk = 0; chunk < 7; chunk++)
      mergePoints(
        set,
        points(
          'a',
          range(100, (i) => [chunk * 100 + i, i]),
        ),
      )
    const out = alignedWindow(set, 0, 10_000, 10_000)
    assert.equal(out.points, 700)
    assert.deepEqual(
      out.data[0].slice(0, 3).map((x) => x * 1000),
      [0, 1, 2],
    )
    assert.equal(out.data[0][699]! * 1000, 699)
  })

  it('drops points older than the age bound behind the newest, from every series', () => {
    const set = createSeriesSet(100, 1000)
    mergePoints(
      set,
      points('a', [
        [0, 1],
        [500, 2],
        [900, 3],
      ]),
    )
    mergePoints(set, points('b', [[1200, 9]]))
    assert.deepEqual(
      lastValues(set).map((s) => [s.key, s.held]),
      [
        ['a', 2],
        ['b', 1],
      ],
    )
    mergePoints(set, points('b', [[3000, 10]]))
    const [a, b] = lastValues(set)
    assert.equal(a!.held, 0)
    assert.equal(a!.last, undefined)
    assert.equal(b!.held, 1)
    // An emptied series keeps its place in the legend.
    assert.deepEqual(alignedWindow(set, 0, 5000).keys, ['a', 'b'])
  })

  it('draws a point whose clock stepped back at the previous time, so x stays sorted', () => {
    const set = createSeriesSet()
    mergePoints(
      set,
      points('a', [
        [1000, 1],
        [900, 2],
        [1100, 3],
      ]),
    )
    assert.deepEqual(alignedWindow(set, 0, 2000).data, [
      [1, 1.1],
      [2, 3],
    ])
  })
})

describe('aligned window', () => {
  it('joins the series on the union of their times, null where a series has no point', () => {
    const set = createSeriesSet()
    mergePoints(
      set,
      points('a', [
        [1000, 1],
        [2000, 2],
        [3000, 3],
      ]),
    )
    mergePoints(
      set,
      points('b', [
        [2000, 20],
        [2500, 25],
      ]),
    )
    const out = alignedWindow(set, 0, 10_000)
    assert.deepEqual(out.keys, ['a', 'b'])
    assert.deepEqual(out.data, [
      [1, 2, 2.5, 3],
      [1, 2, null, 3],
      [null, 20, 25, null],
    ])
    assert.equal(out.points, 5)
    assert.equal(out.bucketMs, 0)
  })

  it('keeps only the window, both ends included', () => {
    const set = createSeriesSet()
    mergePoints(
      set,
      points(
        'a',
        range(10, (i) => [i * 1000, i]),
      ),
    )
    const out = alignedWindow(set, 3000, 5000)
    assert.deepEqual(out.data, [
      [3, 4, 5],
      [3, 4, 5],
    ])
  })

  it('with more points than columns, shows each bucket as the minimum then the maximum', () => {
    const set = createSeriesSet()
    // 100 points over 1 s; values zig-zag so every bucket has a low and a high.
    mergePoints(
      set,
      points(
        'a',
        range(100, (i) => [i * 10, i % 2 === 0 ? i : -i]),
      ),
    )
    mergePoints(set, points('b', [[15, 7]]))
    const out = alignedWindow(set, 0, 1000, 10)
    assert.equal(out.bucketMs, 200)
    assert.equal(out.points, 101)
    assert.deepEqual(out.data[0], [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    assert.deepEqual(out.data[1]!.slice(0, 4), [-19, 18, -39, 38])
    assert.deepEqual(out.data[2], [7, 7, null, null, null, null, null, null, null, null])
  })

  it('skips buckets no series has a point in', () => {
    const set = createSeriesSet()
    mergePoints(set, points('a', [...range(20, (i) => [i, 1]), [999, 5]]))
    const out = alignedWindow(set, 0, 1000, 10)
    assert.deepEqual(out.data[0], [0, 0.1, 0.8, 0.9])
    assert.deepEqual(out.data[1], [1, 1, 5, 5])
  })

  it('is empty before any point, with a column per known series', () => {
    const set = createSeriesSet()
    assert.deepEqual(alignedWindow(set, set.latest - 30_000, set.latest).data, [[]])
    mergePoints(set, points('a', [[1000, 1]]))
    assert.deepEqual(alignedWindow(set, 5000, 6000).data, [[], []])
  })
})

describe('series names and colours', () => {
  it('names the keyless series after the plot', () => {
    assert.equal(seriesLabel('', 'temp'), 'temp')
    assert.equal(seriesLabel('10001', 'temp'), '10001')
  })

  it('takes the theme colours, then their mixes, then dashes', () => {
    assert.deepEqual(parseRgb('rgb(108, 182, 255)'), [108, 182, 255])
    assert.deepEqual(parseRgb('rgba(1, 2, 3, 0.5)'), [1, 2, 3])
    assert.equal(parseRgb('#fff'), undefined)
    const palette = seriesPalette([
      [0, 0, 0],
      [100, 100, 100],
    ])
    assert.deepEqual(palette, ['rgb(0, 0, 0)', 'rgb(100, 100, 100)', 'rgb(50, 50, 50)', 'rgb(50, 50, 50)'])
    assert.equal(seriesPalette([]).length, 1)
    assert.equal(seriesDash(3, 8), undefined)
    assert.deepEqual(seriesDash(9, 8), [6, 3])
    assert.deepEqual(seriesDash(17, 8), [2, 3])
  })
})
