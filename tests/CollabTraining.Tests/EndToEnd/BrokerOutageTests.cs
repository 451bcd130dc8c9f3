using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CollabTraining.Tests.Support;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace CollabTraining.Tests.EndToEnd;

[Collection(PlatformCollection.Name)]
public sealed class BrokerOutageTests(Platform platform, ITestOutputHelper output)
{
    private const string PublishedExchange = "CollabTraining.Contracts.Hospitals:PlacementOfferPublished";
    private const string UpdatedExchange = "CollabTraining.Contracts.Hospitals:PlacementOfferUpdated";

    [Fact]
    public async Task While_the_broker_is_down_hospitals_keep_publishing_and_every_offers_events_arrive_in_version_order_once_it_is_back()
    {
        if (platform.Broker.IsExternal)
        {
            output.WriteLine("RABBITMQ_URL names an external broker, which a test must not stop; the outage is proven against a private node only.");
            return;
        }

        // A witness queue on the offers' exchanges, as any other subscriber would have: it sees the publish order.
        var factory = new ConnectionFactory { Uri = new Uri(platform.Broker.ConnectionString) };
        var witness = $"outage-witness-{Guid.NewGuid():N}";
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(witness, durable: true, exclusive: false, autoDelete: false);
            foreach (var exchange in new[] { PublishedExchange, UpdatedExchange })
            {
                await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
                await channel.QueueBindAsync(witness, exchange, string.Empty);
            }
        }

        var hospital = await platform.SignInAsync(TestAuth.StMarysCoordinator);
        var admin = await platform.SignInAsync(TestAuth.PlatformAdmin);
        var student = await platform.SignInAsync("student004@northbridge.demo");
        var batch = Guid.NewGuid().ToString("N")[..8];
        var titles = Enumerable.Range(1, 6).Select(i => $"Outage {batch} #{i}").ToList();

        await platform.Broker.StopAsync();
        try
        {
            foreach (var title in titles)
            {
                var response = await hospital.PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid(title));
                Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} while the broker is down: {await response.Content.ReadAsStringAsync()}");
                var id = (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
                for (var seats = 5; seats <= 6; seats++)
                {
                    Assert.Equal(HttpStatusCode.OK, (await hospital.PutAsJsonAsync($"/api/hospitals/placement-offers/{id}", OfferRequests.Valid(title, seats))).StatusCode);
                }
            }

            Assert.True(await Eventually.HoldsAsync(async () =>
            {
                var response = await admin.GetAsync("/api/hospitals/admin/outbox");
                var status = await response.ReadNodeAsync();
                return status["backlog"]?.GetValue<long>() >= titles.Count
                    ? true
                    : status["backlog"] is null ? throw new InvalidOperationException($"{(int)response.StatusCode}: {status}") : false;
            }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(500)), "the events should wait in the outbox");
            Assert.Equal(0, (await Search(student, batch))["total"]!.GetValue<int>());
        }
        finally
        {
            await platform.Broker.StartAgainAsync();
        }

        Assert.True(await Eventually.HoldsAsync(async () => (await Search(student, batch))["total"]!.GetValue<int>() == titles.Count, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(500)),
            "not every offer reached the catalog after the broker came back\n" + platform.Logs());

        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            var items = (await Search(student, batch))["items"]!.AsArray();
            return items.Count == titles.Count && items.All(i => i!["seats"]!.GetValue<int>() == 6);
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500)), "the catalog should hold every offer's last version");

        // Offers travel side by side; each offer's own events arrive in the order they happened.
        var seen = new List<(string Title, long Version)>();
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            while (await channel.BasicGetAsync(witness, autoAck: true) is { } delivery)
            {
                var envelope = JsonNode.Parse(delivery.Body.Span)!;
                var title = envelope["message"]!["offer"]!["title"]!.GetValue<string>();
                if (title.Contains(batch, StringComparison.Ordinal))
                {
                    seen.Add((title, envelope["message"]!["version"]!.GetValue<long>()));
                }
            }

            await channel.QueueDeleteAsync(witness);
        }

        Assert.Equal(titles.Order(), seen.Select(s => s.Title).Distinct().Order());
        Assert.All(titles, title => Assert.Equal([1L, 2L, 3L], seen.Where(s => s.Title == title).Select(s => s.Version)));
    }

    private static async Task<JsonNode> Search(HttpClient client, string text) =>
        await (await client.GetAsync($"/api/school/catalog/placements?q={text}")).ReadNodeAsync();
}
