// A grpc-go order-service stand-in: a gRPC server we did not write (grpc-go 1.33 from Debian),
// instrumented as real Go services are, with go-grpc-prometheus, grpc-go's own health server, and
// /metrics from client_golang on a separate HTTP port; no /admin/breakers (most services have no
// breakers to show).
//
// It answers every method of every service (order.v1.OrderService included) with an empty message,
// so a gateway can route to it without generated code; -fail makes that share of calls end
// UNAVAILABLE, and a request whose bytes contain "refuse" ends its call RESOURCE_EXHAUSTED with the
// trailer retry-after-ms: 250, as a service shedding load would. Listens on 127.0.0.1 (free ports) and prints
// "go-order-service grpc=127.0.0.1:P admin=127.0.0.1:Q"; exits on SIGTERM or after -seconds.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	grpc_prometheus "github.com/grpc-ecosystem/go-grpc-prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// rawCodec passes messages through as bytes: requests are read and dropped, replies are empty
// messages (zero bytes), which decode as any proto3 message with every field at its default.
// Every other message (health's) goes to grpc-go's proto codec.
type rawCodec struct{}

func (rawCodec) Marshal(v interface{}) ([]byte, error) {
	if bytes, ok := v.(*[]byte); ok {
		return *bytes, nil
	}
	return encoding.GetCodec("proto").Marshal(v)
}
func (rawCodec) Unmarshal(data []byte, v interface{}) error {
	if bytes, ok := v.(*[]byte); ok {
		*bytes = append((*bytes)[:0], data...)
		return nil
	}
	return encoding.GetCodec("proto").Unmarshal(data, v)
}
func (rawCodec) Name() string { return "proto" }

// String names the codec for grpc.CustomCodec (grpc-go 1.33).
func (rawCodec) String() string { return "proto" }

func main() {
	failRatio := flag.Float64("fail", 0, "share of calls that end UNAVAILABLE (0..1)")
	seconds := flag.Int("seconds", 120, "exit after this many seconds")
	flag.Parse()

	grpcListener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	adminListener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	server := grpc.NewServer(
		grpc.CustomCodec(rawCodec{}),
		grpc.StreamInterceptor(grpc_prometheus.StreamServerInterceptor),
		grpc.UnaryInterceptor(grpc_prometheus.UnaryServerInterceptor),
		grpc.UnknownServiceHandler(func(_ interface{}, stream grpc.ServerStream) error {
			var request []byte
			for {
				if err := stream.RecvMsg(&request); err != nil {
					break
				}
				if bytes.Contains(request, []byte("refuse")) {
					grpc.SetTrailer(stream.Context(), metadata.Pairs("retry-after-ms", "250"))
					return status.Error(codes.ResourceExhausted, "inventory busy: retry later")
				}
				if rand.Float64() < *failRatio {
					return status.Error(codes.Unavailable, "go-order-service: injected failure")
				}
				reply := []byte{}
				if err := stream.SendMsg(&reply); err != nil {
					return err
				}
			}
			return nil
		}),
	)
	healthServer := health.NewServer()
	healthServer.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(server, healthServer)
	grpc_prometheus.EnableHandlingTimeHistogram()
	grpc_prometheus.Register(server)

	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.Handler())
	go http.Serve(adminListener, mux)
	go server.Serve(grpcListener)
	fmt.Printf("go-order-service grpc=%s admin=%s\n", grpcListener.Addr(), adminListener.Addr())
	os.Stdout.Sync()

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-signals:
	case <-time.After(time.Duration(*seconds) * time.Second):
	}
	healthServer.Shutdown()
	server.GracefulStop()
}
