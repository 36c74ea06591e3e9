"""Slack bot that answers questions about the sales CSV export."""
import os

import pandas as pd
from langchain_experimental.agents import create_pandas_dataframe_agent
from langchain_openai import ChatOpenAI
from slack_bolt import App

slack = App(token=os.environ["SLACK_BOT_TOKEN"], signing_secret=os.environ["SLACK_SIGNING_SECRET"])

df = pd.read_csv(os.environ.get("SALES_CSV", "exports/sales.csv"), parse_dates=["closed_at"])
llm = ChatOpenAI(model="gpt-4o", temperature=0)

agent = create_pandas_dataframe_agent(
    llm, df,
    allow_dangerous_code=True,
    agent_type="tool-calling",
    verbose=False,
)


@slack.event("app_mention")
def on_mention(event, say):
    question = event["text"].split(">", 1)[-1].strip()
    if not question:
        say("Ask me something about the sales data!")
        return
    result = agent.invoke({"input": question})
    say(result["output"])


if __name__ == "__main__":
    slack.start(port=int(os.environ.get("PORT", 3000)))
