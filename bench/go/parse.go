// Parses a Prometheus text exposition with expfmt.TextParser and reports MB/s and samples/s.
// Built offline in GOPATH mode (see scripts/bench-parsers.sh). Usage: parse FILE [iterations]
package main

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strconv"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

func samples(families map[string]*dto.MetricFamily) int {
	total := 0
	for _, family := range families {
		for _, metric := range family.Metric {
			switch {
			case metric.Histogram != nil:
				total += len(metric.Histogram.Bucket) + 2
			case metric.Summary != nil:
				total += len(metric.Summary.Quantile) + 2
			default:
				total++
			}
		}
	}
	return total
}

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	iterations := 5
	if len(os.Args) > 2 {
		iterations, _ = strconv.Atoi(os.Args[2])
	}
	var durations []float64
	count := 0
	for i := 0; i < iterations; i++ {
		var parser expfmt.TextParser
		start := time.Now()
		families, err := parser.TextToMetricFamilies(bytes.NewReader(data))
		elapsed := time.Since(start).Seconds()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		count = samples(families)
		durations = append(durations, elapsed)
	}
	sort.Float64s(durations)
	median := durations[len(durations)/2]
	fmt.Printf("{\"parser\":\"go expfmt.TextParser\",\"bytes\":%d,\"samples\":%d,\"seconds\":%.6f,\"mb_per_s\":%.2f,\"samples_per_s\":%.0f}\n",
		len(data), count, median, float64(len(data))/1e6/median, float64(count)/median)
}
