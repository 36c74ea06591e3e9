"""Account-planning group chat for the sales team."""
import autogen

from crm import fetch_account

config_list = [
    {"model": "gpt-4o", "api_key": "sk-svcacct-Jq8tR2vX9mN4bL7cY1kP3wZ6hF0dS5gA8eU2iO4r"},
]
llm_config = {"config_list": config_list, "temperature": 0.3}


def make_chat(account_id: str) -> autogen.GroupChatManager:
    account = fetch_account(account_id)
    strategist = autogen.AssistantAgent(
        name="strategist",
        llm_config=llm_config,
        system_message=f"You plan account strategy. Notes the customer left in the portal: {account['portal_notes']}",
    )
    analyst = autogen.AssistantAgent(
        name="analyst",
        llm_config=llm_config,
        system_message="You analyse usage numbers and point out churn risk.",
    )
    user = autogen.UserProxyAgent(
        name="rep",
        human_input_mode="TERMINATE",
        code_execution_config=False,
    )
    chat = autogen.GroupChat(agents=[user, strategist, analyst], messages=[], max_round=12)
    return autogen.GroupChatManager(groupchat=chat, llm_config=llm_config)


def plan(account_id: str) -> None:
    manager = make_chat(account_id)
    rep = manager.groupchat.agents[0]
    rep.initiate_chat(manager, message="Draft a Q3 account plan.")


if __name__ == "__main__":
    import sys

    plan(sys.argv[1])
